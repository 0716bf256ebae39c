import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PubSub } from '@google-cloud/pubsub';
import { join } from 'node:path';
import { createMessaging, featureUpdatesTopic, type Messaging } from '@bnpl/messaging';
import { createOnlineStore, type EntityKey, type OnlineStore } from '@bnpl/online-store';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureResult__Output, type FeatureServingServiceClient, type GetOnlineFeaturesResponse__Output, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import {
  freePort,
  seedSyntheticSource,
  spawnService,
  startPubSubEmulator,
  startRedisServer,
  startTestPostgres,
  waitFor,
  waitForHttp,
  WORKSPACE_ROOT,
  type RunningPubSubEmulator,
  type RunningRedis,
  type ServiceProcess,
  type TestPostgres,
} from '@bnpl/testing';

// Two grpc-serving processes with a 10-minute L1 TTL, on a real PostgreSQL, redis-server and the Pub/Sub
// emulator, called through gRPC: a value changed in Redis reaches their answers only through a
// feature-update event.

const CUSTOMER: EntityKey = { entity: 'customer', id: '7' };
const SUBSCRIPTION_PREFIX = 'grpc-serving.feature-updates.';

interface Instance {
  service: ServiceProcess;
  client: FeatureServingServiceClient;
  http: string;
}

function country(instance: Instance): Promise<FeatureResult__Output> {
  const request = { features: { refs: ['customer_profile:country'] }, entities: [{ keys: [{ join_key: 'customer_id', id: CUSTOMER.id }] }] };
  return new Promise((resolve, reject) =>
    instance.client.GetOnlineFeatures(request, { deadline: Date.now() + 10_000 }, (error: ServiceError | null, response?: GetOnlineFeaturesResponse__Output) =>
      error || !response ? reject(error ?? new Error('no response')) : resolve(response.rows[0].values[0]),
    ),
  );
}

/** A counter of the instance's /metrics (0 when absent). */
async function metric(instance: Instance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.http}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('grpc-serving: feature-update events invalidate the L1 cache of every instance (real PostgreSQL, Redis, Pub/Sub emulator)', () => {
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
    const pkg = loadPackageDefinition(loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] })) as unknown as ServingProtoGrpcType;
    for (let i = 0; i < 2; i++) {
      const [grpcPort, httpPort] = [await freePort(), await freePort()];
      const service = spawnService('grpc-serving', {
        HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        HTTP_PORT: String(httpPort),
        DATABASE_URL: pg.url,
        ONLINE_STORE: 'redis',
        REDIS_URL: redis.url,
        ONLINE_STORE_L1_TTL_MS: '600000',
        MESSAGING: 'pubsub',
        PUBSUB_PROJECT_ID: emulator.projectId,
        PUBSUB_EMULATOR_HOST: emulator.host,
        LOG_LEVEL: 'warn',
      });
      const client = new pkg.bnpl.featurestore.v1.FeatureServingService(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
      instances.push({ service, client, http: `http://127.0.0.1:${httpPort}` });
    }
    await Promise.all(instances.map((instance) => waitForHttp(instance.service, `${instance.http}/health/ready`)));
    // Readiness does not wait for messaging: wait for the instances' own subscriptions.
    await waitFor('a feature-update subscription per instance', async () => (await instanceSubscriptions()).length === 2, 20_000);
  });

  afterAll(async () => {
    for (const instance of instances) instance.client.close();
    await Promise.all(instances.map((instance) => instance.service.stop()));
    await Promise.all([store?.close(), messaging?.close(), admin?.close()]);
    await Promise.all([pg?.stop(), redis?.stop(), emulator?.stop()]);
  });

  it('serves a changed value from every instance once a feature-update event names the customer, not before', async () => {
    const [first] = instances;
    const de = { value: { string_value: 'DE' }, status: 'FEATURE_STATUS_PRESENT' };
    // The first read comes from PostgreSQL and is written back to Redis; that write drops the entity from
    // the first instance's L1, so wait for it before filling both caches from Redis.
    expect(await country(first)).toMatchObject(de);
    await waitFor('the refill of Redis', async () => (await metric(first, 'bnpl_serving_refilled_rows_total')) >= 1);
    for (const instance of instances) expect(await country(instance)).toMatchObject(de);

    const [[stored]] = await store.read([CUSTOMER], ['customer_profile']);
    if (!stored) throw new Error('customer 7 is not in Redis');
    expect(stored.values.country).toBe('DE');
    await store.write([{ key: CUSTOMER, view: 'customer_profile', values: { ...stored.values, country: 'IS' }, eventTime: new Date() }], { mode: 'overwrite' });
    // Without an event each instance keeps serving what its L1 cache holds (for up to 10 minutes).
    for (const instance of instances) expect(await country(instance)).toMatchObject(de);

    await messaging.publisher.publish(featureUpdatesTopic, { entity: 'customer', entityIds: [CUSTOMER.id], featureViews: ['customer_profile'], eventTime: new Date() });
    for (const [i, instance] of instances.entries()) {
      await waitFor(`instance ${i + 1} to serve the new value`, async () => (await country(instance)).value?.string_value === 'IS', 10_000);
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
