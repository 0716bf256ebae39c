import { PubSub } from '@google-cloud/pubsub';
import { createMessaging, featureUpdatesTopic, type Messaging } from '@bnpl/messaging';
import { createOnlineStore, type EntityKey, type OnlineStore } from '@bnpl/online-store';
import {
  freePort,
  getJson,
  seedSyntheticSource,
  spawnService,
  startPubSubEmulator,
  startRedisServer,
  startTestPostgres,
  waitFor,
  waitForHttp,
  type RunningPubSubEmulator,
  type RunningRedis,
  type ServiceProcess,
  type TestPostgres,
} from '@bnpl/testing';

// Two rest-gateway processes with a 10-minute L1 TTL, on a real PostgreSQL, redis-server and the Pub/Sub
// emulator: a value changed in Redis reaches their answers only through a feature-update event.

const CUSTOMER: EntityKey = { entity: 'customer', id: '7' };
const COUNTRY = 'customer_profile:country';
const SUBSCRIPTION_PREFIX = 'rest-gateway.feature-updates.';

interface Instance {
  service: ServiceProcess;
  base: string;
}

interface FeaturesBody {
  results: Array<{ values: Array<{ value: unknown; status: string }> }>;
}

async function country(instance: Instance): Promise<{ value: unknown; status: string; eventTime?: string }> {
  const r = await getJson(`${instance.base}/v1/customers/${CUSTOMER.id}/features?features=${COUNTRY}`);
  if (r.status !== 200) throw new Error(`GET features answered ${r.status}: ${JSON.stringify(r.body)}`);
  return (r.body as FeaturesBody).results[0].values[0];
}

/** A counter of the instance's /metrics (0 when absent). */
async function metric(instance: Instance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.base}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('rest-gateway: feature-update events invalidate the L1 cache of every instance (real PostgreSQL, Redis, Pub/Sub emulator)', () => {
  let pg: TestPostgres;
  let redis: RunningRedis;
  let emulator: RunningPubSubEmulator;
  let admin: PubSub;
  let messaging: Messaging;
  let store: OnlineStore;
  const instances: Instance[] = [];

  /** The instances' feature-update subscriptions on the emulator. */
  async function instanceSubscriptions(): Promise<string[]> {
    const [subscriptions] = await admin.topic(featureUpdatesTopic.name).getSubscriptions();
    return subscriptions.map((s) => s.name.split('/').pop() ?? '').filter((name) => name.startsWith(SUBSCRIPTION_PREFIX) && !name.endsWith('.dlq'));
  }

  beforeAll(async () => {
    [pg, redis, emulator] = await Promise.all([startTestPostgres(), startRedisServer(), startPubSubEmulator({ projectId: 'bnpl-e2e' })]);
    await seedSyntheticSource(pg.url, 10);
    admin = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true, universeDomain: 'googleapis.com' });
    messaging = createMessaging({ type: 'pubsub', projectId: emulator.projectId, emulatorHost: emulator.host });
    store = createOnlineStore({ type: 'redis', url: redis.url });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const service = spawnService('rest-gateway', {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: pg.url,
        ONLINE_STORE: 'redis',
        REDIS_URL: redis.url,
        ONLINE_STORE_L1_TTL_MS: '600000',
        MESSAGING: 'pubsub',
        PUBSUB_PROJECT_ID: emulator.projectId,
        PUBSUB_EMULATOR_HOST: emulator.host,
        LOG_LEVEL: 'warn',
      });
      instances.push({ service, base: `http://127.0.0.1:${port}` });
    }
    await Promise.all(instances.map((instance) => waitForHttp(instance.service, `${instance.base}/health/ready`)));
    // Readiness does not wait for messaging: wait for the instances' own subscriptions.
    await waitFor('a feature-update subscription per instance', async () => (await instanceSubscriptions()).length === 2, 20_000);
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.service.stop()));
    await Promise.all([store?.close(), messaging?.close(), admin?.close()]);
    await Promise.all([pg?.stop(), redis?.stop(), emulator?.stop()]);
  });

  it('serves a changed value from every instance once a feature-update event names the customer, not before', async () => {
    const [first] = instances;
    // The first read comes from PostgreSQL and is written back to Redis; that write drops the entity from
    // the first instance's L1, so wait for it before filling both caches from Redis.
    expect(await country(first)).toMatchObject({ value: 'DE', status: 'PRESENT' });
    await waitFor('the refill of Redis', async () => (await metric(first, 'bnpl_serving_refilled_rows_total')) >= 1);
    for (const instance of instances) expect(await country(instance)).toMatchObject({ value: 'DE', status: 'PRESENT' });

    const [[stored]] = await store.read([CUSTOMER], ['customer_profile']);
    if (!stored) throw new Error('customer 7 is not in Redis');
    expect(stored.values.country).toBe('DE');
    await store.write([{ key: CUSTOMER, view: 'customer_profile', values: { ...stored.values, country: 'IS' }, eventTime: new Date() }], { mode: 'overwrite' });
    // Without an event each instance keeps serving what its L1 cache holds (for up to 10 minutes).
    for (const instance of instances) expect(await country(instance)).toMatchObject({ value: 'DE', status: 'PRESENT' });

    await messaging.publisher.publish(featureUpdatesTopic, { entity: 'customer', entityIds: [CUSTOMER.id], featureViews: ['customer_profile'], eventTime: new Date() });
    for (const [i, instance] of instances.entries()) {
      await waitFor(`instance ${i + 1} to serve the new value`, async () => (await country(instance)).value === 'IS', 10_000);
      expect(await metric(instance, 'bnpl_serving_feature_update_events_total')).toBe(1);
      expect(await metric(instance, 'bnpl_serving_invalidated_keys_total')).toBe(1);
    }
  });

  it("deletes each instance's subscription when it shuts down", async () => {
    expect(await instanceSubscriptions()).toHaveLength(2);
    await Promise.all(instances.map((instance) => instance.service.stop()));
    for (const instance of instances) expect(await instance.service.exited).toEqual({ code: 0, signal: null });
    expect(await instanceSubscriptions()).toEqual([]);
  });
});
