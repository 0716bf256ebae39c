import { PubSub } from '@google-cloud/pubsub';
import type { EntityKey, OnlineStore } from '@bnpl/online-store';
import { createMessaging, type Messaging } from '@bnpl/messaging-nest';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { seedSyntheticSource } from './synthetic-source';
import { startTestStack, type StartedService, type TestStack } from './test-stack';
import { waitFor } from './wait-for';

/** What differs between the serving edges (REST, gRPC) in the feature-update scenario. */
export interface FeatureUpdateScenario<I extends StartedService> {
  /** The serving app (`apps/<app>`); its instances subscribe as `<app>.feature-updates.<instance>`. */
  readonly app: string;
  /**
   * The online store on `redisUrl`, to overwrite a value behind the instances' backs. Given by the spec
   * (`createOnlineStore`): libs/testing cannot import @bnpl/online-store, whose int-specs import libs/testing.
   */
  readonly openStore: (redisUrl: string) => OnlineStore;
  /** Starts one instance with `env` added (through `stack.startService`), with whatever client its edge needs. */
  readonly startInstance: (stack: TestStack, env: Record<string, string>) => Promise<I>;
  /** Reads `customer_profile:country` of the customer through the edge, as the edge answers it. */
  readonly readCountry: (instance: I, customerId: string) => Promise<unknown>;
  /** What the edge answers for a present country `code` (matched with toMatchObject). */
  readonly present: (code: string) => object;
  /** Closes the instance's client, if it has one. */
  readonly closeInstance?: (instance: I) => void;
}

const CUSTOMER: EntityKey = { entity: 'customer', id: '7' };

/** A counter of the instance's /metrics (0 when absent). */
async function metric(instance: StartedService, name: string): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/**
 * Two instances of a serving app with a 10-minute L1 TTL, on a real PostgreSQL, redis-server and the
 * Pub/Sub emulator: a value changed in Redis reaches their answers only through a feature-update event,
 * and each instance deletes its own subscription when it shuts down.
 */
export function describeFeatureUpdateScenario<I extends StartedService>(scenario: FeatureUpdateScenario<I>): void {
  const subscriptionPrefix = `${scenario.app}.feature-updates.`;
  const country = (instance: I) => scenario.readCountry(instance, CUSTOMER.id);

  describe(`${scenario.app}: feature-update events invalidate the L1 cache of every instance (real PostgreSQL, Redis, Pub/Sub emulator)`, () => {
    let stack: TestStack;
    let admin: PubSub;
    let messaging: Messaging;
    let store: OnlineStore;
    const instances: I[] = [];

    /** The instances' feature-update subscriptions on the emulator. */
    async function instanceSubscriptions(): Promise<string[]> {
      const [subscriptions] = await admin.topic(featureUpdatesTopic.name).getSubscriptions();
      return subscriptions.map((s) => s.name.split('/').pop() ?? '').filter((name) => name.startsWith(subscriptionPrefix) && !name.endsWith('.dlq'));
    }

    beforeAll(async () => {
      stack = await startTestStack({ pubsub: { projectId: 'bnpl-e2e' } });
      const emulator = stack.pubsub;
      if (!emulator) throw new Error('the stack started no Pub/Sub emulator');
      await seedSyntheticSource(stack.pg.url, 10);
      admin = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true, universeDomain: 'googleapis.com' });
      messaging = createMessaging({ type: 'pubsub', projectId: emulator.projectId, emulatorHost: emulator.host });
      store = scenario.openStore(stack.redis.url);
      const started = await Promise.allSettled([1, 2].map(() => scenario.startInstance(stack, { ONLINE_STORE_L1_TTL_MS: '600000' })));
      for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
      for (const result of started) if (result.status === 'rejected') throw result.reason;
      // Readiness does not wait for messaging: wait for the instances' own subscriptions.
      await waitFor('a feature-update subscription per instance', async () => (await instanceSubscriptions()).length === 2, 20_000);
    });

    afterAll(async () => {
      for (const instance of instances) scenario.closeInstance?.(instance);
      await Promise.all([store?.close(), messaging?.close(), admin?.close()]);
      await stack?.stop();
    });

    it('serves a changed value from every instance once a feature-update event names the customer, not before', async () => {
      const [first] = instances;
      // The first read comes from PostgreSQL and is written back to Redis; that write drops the entity from
      // the first instance's L1, so wait for it before filling both caches from Redis.
      expect(await country(first)).toMatchObject(scenario.present('DE'));
      await waitFor('the refill of Redis', async () => (await metric(first, 'bnpl_serving_refilled_rows_total')) >= 1);
      for (const instance of instances) expect(await country(instance)).toMatchObject(scenario.present('DE'));

      const [[stored]] = await store.read([CUSTOMER], ['customer_profile']);
      if (!stored) throw new Error('customer 7 is not in Redis');
      expect(stored.values.country).toBe('DE');
      await store.write([{ key: CUSTOMER, view: 'customer_profile', values: { ...stored.values, country: 'IS' }, eventTime: new Date() }], { mode: 'overwrite' });
      // Without an event each instance keeps serving what its L1 cache holds (for up to 10 minutes).
      for (const instance of instances) expect(await country(instance)).toMatchObject(scenario.present('DE'));

      await messaging.publisher.publish(featureUpdatesTopic, { entity: 'customer', entityIds: [CUSTOMER.id], featureViews: ['customer_profile'], eventTime: new Date() });
      for (const [i, instance] of instances.entries()) {
        // A failed match throws: waitFor tries again, and names the last mismatch if it times out.
        const servesNewValue = async () => {
          expect(await country(instance)).toMatchObject(scenario.present('IS'));
          return true;
        };
        await waitFor(`instance ${i + 1} to serve the new value`, servesNewValue, 10_000);
        expect(await metric(instance, 'bnpl_serving_feature_update_events_total')).toBe(1);
        expect(await metric(instance, 'bnpl_serving_invalidated_keys_total')).toBe(1);
      }
    });

    it("deletes each instance's subscription when it shuts down", async () => {
      expect(await instanceSubscriptions()).toHaveLength(2);
      await Promise.all(instances.map((instance) => instance.stop()));
      for (const instance of instances) expect(await instance.exited).toEqual({ code: 0, signal: null });
      expect(await instanceSubscriptions()).toEqual([]);
    });
  });
}
