import { credentials, loadPackageDefinition, Metadata, status, type CallOptions, type ClientDuplexStream, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { dirname, join } from 'node:path';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog, describeFeatureService } from '@bnpl/serving';
import {
  SERVING_LOADER_OPTIONS,
  SERVING_PROTO_FILE,
  type FeatureResult__Output,
  type FeatureServingServiceClient,
  type GetCatalogResponse__Output,
  type GetFeatureServiceResponse__Output,
  type GetOnlineFeaturesRequest,
  type GetOnlineFeaturesResponse__Output,
  type ServingProtoGrpcType,
} from '@bnpl/serving-contract';
import {
  freePort,
  runSql,
  spawnService,
  startRedisCluster,
  startRedisServer,
  startTestPostgres,
  waitForHttp,
  WORKSPACE_ROOT,
  type RunningRedis,
  type RunningRedisCluster,
  type ServiceProcess,
  type TestPostgres,
} from '@bnpl/testing';

// End to end through the real gRPC interface: grpc-serving's main.ts against a real PostgreSQL, a real
// redis-server (and a real 3-node Redis Cluster), called by a @grpc/grpc-js client loading the proto.

const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const date = (msAgo: number) => iso(msAgo).slice(0, 10);
/** Customers 2..100 differ only by credit limit (id * 1000 minor units), so rows show their order. */
const MANY = Array.from({ length: 99 }, (_, i) => i + 2);
/** L1 (on by default in grpc-serving) keeps an entry 1 s: waiting longer makes the next read go to Redis. */
const PAST_L1_TTL_MS = 1_200;

/** Customer 1 and merchant 10 as in rest-gateway's e2e, so both edges are held to the same values. */
async function seed(url: string): Promise<void> {
  await runSql(
    url,
    `INSERT INTO merchants (id, name, category, country, created_at) VALUES (10, 'Shop', 'fashion', 'DE', '2023-01-01T00:00:00Z')`,
    `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
     VALUES (1, 'a@example.com', 'A', 'DE', 'EUR', 2, 100000, '${iso(400 * DAY)}', '${iso(DAY)}')`,
    `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
     SELECT id, 'c' || id || '@example.com', 'C', 'FR', 'EUR', 1, id * 1000, '${iso(30 * DAY)}', '${iso(DAY)}' FROM generate_series(2, 100) AS id`,
    `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
     VALUES (100, 1, 10, 30000, 'EUR', 3, 'active', '${iso(20 * DAY)}', '${iso(DAY)}'),
            (101, 1, 10, 10000, 'EUR', 3, 'completed', '${iso(60 * DAY)}', '${iso(DAY)}')`,
    `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status, paid_at, days_past_due, updated_at)
     VALUES (1000, 100, 1, 1, 10000, 'EUR', '${date(10 * DAY)}', 'paid', '${iso(5 * DAY)}', 5, '${iso(5 * DAY)}'),
            (1001, 100, 1, 2, 20000, 'EUR', '${date(-20 * DAY)}', 'scheduled', NULL, 0, '${iso(DAY)}')`,
  );
}

interface Serving {
  service: ServiceProcess;
  client: FeatureServingServiceClient;
  address: string;
  getOnlineFeatures(request: GetOnlineFeaturesRequest, metadata?: Metadata): Promise<GetOnlineFeaturesResponse__Output>;
  stop(): Promise<void>;
}

/** Spawns grpc-serving with `env`, waits until ready, and connects a client. */
async function startServing(env: Record<string, string>): Promise<Serving> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const service = spawnService('grpc-serving', { HOST: '127.0.0.1', GRPC_PORT: String(grpcPort), HTTP_PORT: String(httpPort), ...env });
  await waitForHttp(service, `http://127.0.0.1:${httpPort}/health/ready`);
  const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
  const pkg = loadPackageDefinition(definition) as unknown as ServingProtoGrpcType;
  const address = `127.0.0.1:${grpcPort}`;
  const client = new pkg.bnpl.featurestore.v1.FeatureServingService(address, credentials.createInsecure());
  return {
    service,
    client,
    address,
    getOnlineFeatures: (request, metadata = new Metadata()) => unary((cb) => client.GetOnlineFeatures(request, metadata, { deadline: deadline() }, cb)),
    stop: async () => {
      client.close();
      await service.stop();
    },
  };
}

const deadline = () => Date.now() + 10_000;

/** A unary call as a promise; every call has a deadline, so a hang fails the test instead of stalling it. */
function unary<T>(start: (cb: (error: ServiceError | null, response?: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => start((error, response) => (error || response === undefined ? reject(error) : resolve(response))));
}

async function rejection(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

type ReflectionRequest = { list_services: string } | { file_containing_symbol: string };

interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
}

/**
 * Asks server reflection (grpc.reflection.v1, what grpcurl uses) one question on a fresh stream: the
 * services, or the file defining a symbol together with the files it imports (encoded FileDescriptorProtos).
 */
function reflect(address: string, request: ReflectionRequest): Promise<ReflectionResponse> {
  const protoFile = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');
  const pkg = loadPackageDefinition(loadSync(protoFile, { keepCase: true, defaults: true, oneofs: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: ServiceClientConstructor } } };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure()) as InstanceType<ServiceClientConstructor> & {
    ServerReflectionInfo(options: CallOptions): ClientDuplexStream<ReflectionRequest, ReflectionResponse>;
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo({ deadline: deadline() });
    stream.once('data', (response: ReflectionResponse) => {
      stream.end();
      client.close();
      resolve(response);
    });
    stream.once('error', reject);
    stream.write(request);
  });
}

const valueOf = (response: GetOnlineFeaturesResponse__Output, ref: string, row = 0): FeatureResult__Output => {
  const i = response.feature_names.indexOf(ref);
  if (i < 0) throw new Error(`${ref} not in the response`);
  return response.rows[row].values[i];
};
const customer = (id: number | string, merchant?: number) => ({
  keys: [{ join_key: 'customer_id', id: String(id) }, ...(merchant === undefined ? [] : [{ join_key: 'merchant_id', id: String(merchant) }])],
});
const creditDecision = (rows = [customer(1, 10)]): GetOnlineFeaturesRequest => ({
  feature_service: 'credit_decision_v1',
  entities: rows,
  request_context: { requested_amount: { money_value: { amount_minor: 5000, currency: 'EUR' } } },
});
/** Values and statuses only: event times of values recomputed from the source are the instant of reading. */
const valuesAndStatuses = (response: GetOnlineFeaturesResponse__Output) => response.rows.map((r) => r.values.map((v) => ({ value: v.value, status: v.status })));
const seconds = (t: { seconds: string; nanos: number } | null) => (t === null ? null : Number(t.seconds) + t.nanos / 1e9);

describe('grpc-serving FeatureServingService (real PostgreSQL and Redis)', () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres();
    await seed(pg.url);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  describe('with standalone Redis', () => {
    let redis: RunningRedis;
    let serving: Serving;

    beforeAll(async () => {
      redis = await startRedisServer();
      serving = await startServing({ DATABASE_URL: pg.url, ONLINE_STORE: 'redis', REDIS_URL: redis.url });
    });

    afterAll(async () => {
      await serving?.stop();
      await redis?.stop();
    });

    it('serves credit_decision_v1 for one customer, computed from the source, then the same from Redis', async () => {
      const before = Date.now() / 1000;
      const first = await serving.getOnlineFeatures(creditDecision());
      const after = Date.now() / 1000;
      expect(first.feature_names).toEqual(describeFeatureService(bnplCatalog, 'credit_decision_v1').features.map((f) => f.ref));
      expect(first.rows).toHaveLength(1);
      expect(valueOf(first, 'customer_exposure:outstanding_balance')).toMatchObject({ value: { money_value: { amount_minor: '20000', currency: 'EUR' } }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'customer_exposure:active_plans_count')).toMatchObject({ value: { int64_value: '1' }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'customer_repayment:late_installments_90d')).toMatchObject({ value: { int64_value: '1' }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'customer_repayment:max_days_past_due_365d')).toMatchObject({ value: { int64_value: '5' }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'customer_profile:kyc_level')).toMatchObject({ value: { int64_value: '2' }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'customer_profile:country')).toMatchObject({ value: { string_value: 'DE', kind: 'string_value' } });
      expect(valueOf(first, 'customer_exposure:utilization')).toMatchObject({ value: { double_value: 0.2, kind: 'double_value' } });
      expect(valueOf(first, 'merchant_risk:merchant_category')).toMatchObject({ value: { string_value: 'fashion' }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'merchant_risk:merchant_orders_90d')).toMatchObject({ value: { int64_value: '2' } });
      // Request-time: 5000 EUR requested against an average order of 20000 EUR and 20000 EUR outstanding.
      expect(valueOf(first, 'credit_request:requested_amount_to_avg_order_ratio')).toMatchObject({ value: { double_value: 0.25 }, status: 'FEATURE_STATUS_PRESENT' });
      expect(valueOf(first, 'credit_request:exposure_after_order')).toMatchObject({ value: { money_value: { amount_minor: '25000', currency: 'EUR' } } });
      // Values just computed from the source carry the instant they were computed for.
      for (const v of first.rows[0].values) {
        expect(seconds(v.event_time)).toBeGreaterThanOrEqual(Math.floor(before));
        expect(seconds(v.event_time)).toBeLessThanOrEqual(after);
      }

      // The first read refilled Redis. Change the source: a read served from Redis still shows the old value.
      await new Promise((r) => setTimeout(r, PAST_L1_TTL_MS));
      await runSql(pg.url, 'UPDATE customers SET kyc_level = 3 WHERE id = 1');
      try {
        const second = await serving.getOnlineFeatures(creditDecision());
        expect(second.feature_names).toEqual(first.feature_names);
        first.feature_names.forEach((ref, i) => {
          const [a, b] = [first.rows[0].values[i], second.rows[0].values[i]];
          expect({ ref, value: b.value, status: b.status }).toEqual({ ref, value: a.value, status: a.status });
          // Stored values keep their event time; request-time features are stamped with each request's instant.
          if (!ref.startsWith('credit_request:')) expect({ ref, event_time: b.event_time }).toEqual({ ref, event_time: a.event_time });
        });
      } finally {
        await runSql(pg.url, 'UPDATE customers SET kyc_level = 2 WHERE id = 1');
      }
    });

    it('serves 100 customers in one call, rows in request order', async () => {
      const ids = [...MANY].reverse().concat(1);
      const response = await serving.getOnlineFeatures({ features: { refs: ['customer_exposure:credit_limit', 'customer_profile:country'] }, entities: ids.map((id) => customer(id)) });
      expect(response.rows).toHaveLength(100);
      expect(response.rows.map((r) => r.values[0].value?.money_value?.amount_minor)).toEqual(ids.map((id) => String(id === 1 ? 100000 : id * 1000)));
      expect(response.rows.map((r) => r.values[1].value?.string_value)).toEqual(ids.map((id) => (id === 1 ? 'DE' : 'FR')));
      expect(new Set(response.rows.flatMap((r) => r.values.map((v) => v.status)))).toEqual(new Set(['FEATURE_STATUS_PRESENT']));
    });

    it('serves a list of features, view:* expanded, in the order asked', async () => {
      const response = await serving.getOnlineFeatures({ features: { refs: ['customer_repayment:late_installments_90d', 'customer_exposure:*'] }, entities: [customer(1)] });
      expect(response.feature_names).toEqual([
        'customer_repayment:late_installments_90d',
        ...bnplCatalog.getView('customer_exposure').features.map((f) => `customer_exposure:${f.name}`),
      ]);
      expect(valueOf(response, 'customer_repayment:late_installments_90d').value).toMatchObject({ int64_value: '1' });
    });

    it('answers an unknown customer with defaults marked MISSING and no event time, not an error', async () => {
      const response = await serving.getOnlineFeatures({ features: { refs: ['customer_exposure:active_plans_count', 'customer_profile:country', 'customer_exposure:outstanding_balance'] }, entities: [customer(999999)] });
      expect(response.rows[0].values).toEqual([
        { value: { int64_value: '0', kind: 'int64_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
        { value: { string_value: 'ZZ', kind: 'string_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
        { value: { money_value: { amount_minor: '0', currency: 'XXX' }, kind: 'money_value' }, status: 'FEATURE_STATUS_MISSING', event_time: null },
      ]);
    });

    it('describes the catalog as describeCatalog does (what GET /v1/catalog serves)', async () => {
      const expected = describeCatalog(bnplCatalog);
      const catalog = await unary<GetCatalogResponse__Output>((cb) => serving.client.GetCatalog({}, { deadline: deadline() }, cb));
      expect(catalog.entities).toEqual(expected.entities.map((e) => ({ name: e.name, join_key: e.joinKey, description: e.description })));
      expect(catalog.feature_views.map((v) => [v.name, v.kind, v.entity, v.ttl_seconds, v.owner])).toEqual(
        expected.views.map((v) => [v.name, v.kind === 'stored' ? 'FEATURE_VIEW_KIND_STORED' : 'FEATURE_VIEW_KIND_REQUEST', v.entity ?? '', String(v.ttlSeconds ?? 0), v.owner]),
      );
      const exposure = catalog.feature_views.find((v) => v.name === 'customer_exposure');
      expect(exposure?.features.find((f) => f.name === 'utilization')).toMatchObject({
        ref: 'customer_exposure:utilization',
        value_type: 'VALUE_TYPE_DOUBLE',
        default_value: { double_value: 1 },
      });
      expect(catalog.feature_views.find((v) => v.name === 'credit_request')?.request_inputs).toEqual({ requested_amount: 'VALUE_TYPE_MONEY' });
      expect(catalog.feature_services.map((s) => s.name)).toEqual(expected.services.map((s) => s.name));
    });

    it('describes one feature service, and answers NOT_FOUND naming an unknown one', async () => {
      const expected = describeFeatureService(bnplCatalog, 'credit_decision_v1');
      const getService = (name: string) => unary<GetFeatureServiceResponse__Output>((cb) => serving.client.GetFeatureService({ name }, { deadline: deadline() }, cb));
      const { feature_service: service } = await getService('credit_decision_v1');
      expect(service).toMatchObject({ name: 'credit_decision_v1', version: 1, required_join_keys: ['customer_id', 'merchant_id'], request_inputs: { requested_amount: 'VALUE_TYPE_MONEY' } });
      expect(service?.features.map((f) => f.ref)).toEqual(expected.features.map((f) => f.ref));
      const error = await rejection(getService('credit_decision_v9'));
      expect(error).toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('credit_decision_v9') });
      expect(error.metadata.get('reason')).toEqual(['UNKNOWN_FEATURE_SERVICE']);
    });

    it('serves reflection, so grpcurl can call FeatureServingService without proto files', async () => {
      const services = await reflect(serving.address, { list_services: '' });
      expect(services.list_services_response?.service.map((s) => s.name)).toEqual(
        expect.arrayContaining(['bnpl.featurestore.v1.FeatureServingService', 'grpc.health.v1.Health']),
      );
      const files = await reflect(serving.address, { file_containing_symbol: 'bnpl.featurestore.v1.FeatureServingService' });
      const descriptors = (files.file_descriptor_response?.file_descriptor_proto ?? []).map(
        (bytes) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes)) as { name: string; package: string; dependency?: string[]; service?: Array<{ name: string }> },
      );
      const servingFile = descriptors.find((d) => d.package === 'bnpl.featurestore.v1');
      expect(servingFile?.service?.map((s) => s.name)).toEqual(['FeatureServingService']);
      // The answer is self-contained: every file it imports (google.protobuf.Timestamp's) comes with it.
      const names = descriptors.map((d) => d.name);
      for (const d of descriptors) for (const dependency of d.dependency ?? []) expect(names).toContain(dependency);
      expect(descriptors.map((d) => d.package)).toContain('google.protobuf');
    });

    const tooMany = Array.from({ length: 1001 }, (_, i) => customer(i + 1));
    it.each<[string, GetOnlineFeaturesRequest, RegExp, string]>([
      ['an unknown feature', { features: { refs: ['customer_exposure:nope'] }, entities: [customer(1)] }, /customer_exposure:nope/, 'UNKNOWN_FEATURE'],
      ['an unknown feature view', { features: { refs: ['nope:x'] }, entities: [customer(1)] }, /nope/, 'UNKNOWN_FEATURE_VIEW'],
      ['an unknown service', { feature_service: 'credit_decision_v9', entities: [customer(1)] }, /credit_decision_v9/, 'UNKNOWN_FEATURE_SERVICE'],
      ['a malformed customer id', creditDecision([customer('abc', 10)]), /customer_id "abc"/, 'INVALID_ENTITY_ID'],
      ['a customer id with leading zeros', { features: { refs: ['customer_profile:country'] }, entities: [customer('007')] }, /"007"/, 'INVALID_ENTITY_ID'],
      ['a customer id beyond bigint', { features: { refs: ['customer_profile:country'] }, entities: [customer('9223372036854775808')] }, /9223372036854775808/, 'INVALID_ENTITY_ID'],
      ['no entities', { features: { refs: ['customer_profile:country'] }, entities: [] }, /No entity rows/, 'EMPTY_ENTITY_ROWS'],
      ['more than 1000 entities', { features: { refs: ['customer_profile:country'] }, entities: tooMany }, /1001, at most 1000/, 'TOO_MANY_ENTITY_ROWS'],
      ['duplicate entity rows', { features: { refs: ['customer_profile:country'] }, entities: [customer(1), customer(2), customer(1)] }, /row 2 .* repeats entity row 0/, 'DUPLICATE_ENTITY_ROW'],
      ['an unknown join key', { features: { refs: ['customer_profile:country'] }, entities: [{ keys: [{ join_key: 'account_id', id: '1' }] }] }, /unknown join key "account_id"/, 'INVALID_ENTITY_ROW'],
      ['a join key twice in a row', { features: { refs: ['customer_profile:country'] }, entities: [{ keys: [{ join_key: 'customer_id', id: '1' }, { join_key: 'customer_id', id: '2' }] }] }, /customer_id given more than once/, 'INVALID_ENTITY_ROW'],
      ['a service needing merchant_id without it', creditDecision([customer(1)]), /no merchant_id/, 'MISSING_ENTITY_ID'],
      ['no request input the service needs', { ...creditDecision(), request_context: {} }, /"requested_amount": required/, 'INVALID_REQUEST_INPUT'],
      ['a request input of the wrong type', { ...creditDecision(), request_context: { requested_amount: { int64_value: 5000 } } }, /"requested_amount": 5000 .* not a valid MONEY/, 'INVALID_REQUEST_INPUT'],
      ['a request amount beyond 2^53', { ...creditDecision(), request_context: { requested_amount: { money_value: { amount_minor: '9007199254740993', currency: 'EUR' } } } }, /"requested_amount".*9007199254740993/, 'INVALID_REQUEST_INPUT'],
      ['a request amount with a malformed currency', { ...creditDecision(), request_context: { requested_amount: { money_value: { amount_minor: 5000, currency: 'eur' } } } }, /"requested_amount"/, 'INVALID_REQUEST_INPUT'],
      ['a request input without a value', { ...creditDecision(), request_context: { requested_amount: {} } }, /"requested_amount": no value/, 'INVALID_REQUEST_INPUT'],
      ['neither a service nor features', { entities: [customer(1)] }, /neither/, 'INVALID_FEATURE_SELECTION'],
      ['both a service and features', { feature_service: 'credit_decision_v1', features: { refs: ['customer_profile:country'] }, entities: [customer(1, 10)] }, /not both/, 'INVALID_FEATURE_SELECTION'],
      ['an empty feature list', { features: { refs: [] }, entities: [customer(1)] }, /empty/, 'INVALID_FEATURE_SELECTION'],
    ])('rejects %s with INVALID_ARGUMENT naming the problem', async (_what, request, named, reason) => {
      const error = await rejection(serving.getOnlineFeatures(request));
      expect({ code: error.code, details: error.details }).toEqual({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(named) });
      expect(error.metadata.get('reason')).toEqual([reason]);
    });

    it('refuses a message over 4 MiB with RESOURCE_EXHAUSTED and keeps serving', async () => {
      const huge = 'x'.repeat(4 * 1024 * 1024 + 1);
      const error = await rejection(serving.getOnlineFeatures({ features: { refs: [huge] }, entities: [customer(1)] }));
      expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
      const response = await serving.getOnlineFeatures({ features: { refs: ['customer_profile:country'] }, entities: [customer(1)] });
      expect(valueOf(response, 'customer_profile:country').value?.string_value).toBe('DE');
    });

    // grpc-js has no metadata limit of its own: Node's HTTP/2 layer resets a stream with a header field over
    // 64 KiB (the client sees INTERNAL) or more than 128 fields (RESOURCE_EXHAUSTED), and closes a session
    // whose header block runs to megabytes. Whichever applies, the call fails at once and the server lives on.
    it.each([
      ['one 1 MiB field', 1, 1024 * 1024],
      ['2.4 MB in 40 fields', 40, 60_000],
      ['200 fields', 200, 10],
    ])('fails a call with huge metadata (%s) at once, not a hang, and keeps serving', async (_what, fields, size) => {
      const metadata = new Metadata();
      for (let i = 0; i < fields; i++) metadata.set(`x-padding-${i}`, 'x'.repeat(size));
      const started = Date.now();
      const error = await rejection(serving.getOnlineFeatures({ features: { refs: ['customer_profile:country'] }, entities: [customer(1)] }, metadata));
      expect([status.RESOURCE_EXHAUSTED, status.INTERNAL]).toContain(error.code);
      expect(Date.now() - started).toBeLessThan(5_000);
      const response = await serving.getOnlineFeatures({ features: { refs: ['customer_profile:country'] }, entities: [customer(1)] });
      expect(valueOf(response, 'customer_profile:country').value?.string_value).toBe('DE');
    });

    it('keeps answering correctly from PostgreSQL when Redis is killed', async () => {
      const request = creditDecision([customer(1, 10), ...MANY.slice(0, 20).map((id) => customer(id, 10))]);
      const before = await serving.getOnlineFeatures(request);
      await redis.kill();
      try {
        // Past L1's TTL, every read needs the online store, which is gone: the source answers.
        await new Promise((r) => setTimeout(r, PAST_L1_TTL_MS));
        for (let i = 0; i < 3; i++) {
          const during = await serving.getOnlineFeatures(request);
          expect(valuesAndStatuses(during)).toEqual(valuesAndStatuses(before));
        }
      } finally {
        redis = await startRedisServer({ port: redis.port });
      }
    });
  });

  describe('with a 3-node Redis Cluster', () => {
    let cluster: RunningRedisCluster;
    let serving: Serving;

    beforeAll(async () => {
      cluster = await startRedisCluster(3);
      serving = await startServing({
        DATABASE_URL: pg.url,
        ONLINE_STORE: 'redis-cluster',
        REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
        // The test tells the cluster's answer from the source's by a changed source: a read that timed out
        // on a loaded machine would fall back to the source and look like a stale cluster.
        SERVING_ONLINE_READ_TIMEOUT_MS: '5000',
      });
    });

    afterAll(async () => {
      await serving?.stop();
      await cluster?.stop();
    });

    it('serves credit_decision_v1 for 100 customers from the source, then the same from the cluster', async () => {
      const request = creditDecision([customer(1, 10), ...MANY.map((id) => customer(id, 10))].slice(0, 100));
      const first = await serving.getOnlineFeatures(request);
      expect(first.rows).toHaveLength(100);
      expect(valueOf(first, 'customer_exposure:outstanding_balance').value).toMatchObject({ money_value: { amount_minor: '20000', currency: 'EUR' } });
      expect(valueOf(first, 'customer_exposure:credit_limit', 99).value).toMatchObject({ money_value: { amount_minor: '100000', currency: 'EUR' } });
      // Refilled into the cluster (customers spread over its slots); a changed source does not show.
      await new Promise((r) => setTimeout(r, PAST_L1_TTL_MS));
      await runSql(pg.url, 'UPDATE customers SET kyc_level = 3');
      try {
        const second = await serving.getOnlineFeatures(request);
        expect(valuesAndStatuses(second)).toEqual(valuesAndStatuses(first));
        expect(second.rows.map((r) => r.values[0].event_time)).toEqual(first.rows.map((r) => r.values[0].event_time));
      } finally {
        await runSql(pg.url, 'UPDATE customers SET kyc_level = CASE WHEN id = 1 THEN 2 ELSE 1 END');
      }
    });

    it('exits 0 on SIGTERM while a client still holds its connection', async () => {
      await serving.getOnlineFeatures({ features: { refs: ['customer_profile:country'] }, entities: [customer(1)] });
      await serving.service.stop();
      expect(await serving.service.exited).toEqual({ code: 0, signal: null });
    });
  });
});
