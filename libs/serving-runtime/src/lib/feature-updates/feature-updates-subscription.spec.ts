import { featureUpdatesBinding, instanceSubscriptionName } from './feature-updates-subscription';

/** Pub/Sub's rule for subscription ids: a letter first, 3-255 of these characters, not `goog...`. */
const PUBSUB_NAME = /^(?!goog)[A-Za-z][A-Za-z0-9._~+%-]{2,254}$/;

describe('instanceSubscriptionName', () => {
  it('names the prefix, the host and the pid, then a random part', () => {
    expect(instanceSubscriptionName('rest-gateway.feature-updates', { hostname: 'pod-7f9c', pid: 1 })).toMatch(/^rest-gateway\.feature-updates\.pod-7f9c-1-[0-9a-f]{8}$/);
  });

  it('gives a different name on every call, even for the same host and pid', () => {
    const names = new Set(Array.from({ length: 1_000 }, () => instanceSubscriptionName('grpc-serving.feature-updates', { hostname: 'same', pid: 1 })));
    expect(names.size).toBe(1_000);
  });

  it('keeps to what Pub/Sub allows whatever the hostname', () => {
    for (const hostname of ['', 'ünïcode höst', 'a/b:c@d%e f', 'x'.repeat(1_000), '.leading-dot', 'UPPER_case~ok+1']) {
      const name = instanceSubscriptionName('rest-gateway.feature-updates', { hostname, pid: 4_194_304 });
      expect({ hostname, valid: PUBSUB_NAME.test(name), length: name.length <= 255 }).toEqual({ hostname, valid: true, length: true });
      expect(name).not.toMatch(/%/);
    }
    expect(instanceSubscriptionName('p12', { hostname: 'x'.repeat(1_000), pid: 1 })).toHaveLength(255);
  });

  it('uses the real hostname and pid by default', () => {
    expect(instanceSubscriptionName('rest-gateway.feature-updates')).toContain(`-${process.pid}-`);
  });

  it('refuses a prefix Pub/Sub would refuse', () => {
    for (const prefix of ['1-gateway', 'google-things', 'has space', 'ab', 'x'.repeat(101)]) {
      expect(() => instanceSubscriptionName(prefix)).toThrow(RangeError);
    }
  });
});

describe('featureUpdatesBinding', () => {
  it("binds the topic to an ephemeral subscription of this instance, dead letters going to the app's shared topic", () => {
    const topic = { name: 'bnpl.features.updates', decode: () => ({ entity: 'customer', entityIds: ['1'] }) };
    const binding = featureUpdatesBinding('rest-gateway', topic, { hostname: 'h', pid: 9 });
    expect(binding).toEqual({ topic, subscription: expect.stringMatching(/^rest-gateway\.feature-updates\.h-9-[0-9a-f]{8}$/), ephemeral: true, deadLetterTopic: 'rest-gateway.feature-updates.dlq' });
    expect(featureUpdatesBinding('rest-gateway', topic).subscription).not.toBe(binding.subscription);
  });
});
