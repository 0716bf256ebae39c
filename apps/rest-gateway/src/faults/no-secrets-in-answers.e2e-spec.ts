import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureServingServiceClient, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { freePort, getJson, runSql, spawnService, startRedisServer, startTestPostgres, waitFor, waitForHttp, WORKSPACE_ROOT, type DedicatedTestPostgres, type RunningRedis, type ServiceProcess } from '@bnpl/testing';

/** A role of its own, with a password nothing else uses: any answer or log line quoting it leaks it. */
const ROLE = 'answers_probe';
const PASSWORD = 'Answers-Pw-7c2e91';

/**
 * No answer names the database or quotes the driver (issue 12, item 8): with PostgreSQL gone, the 503 of a
 * REST read, the UNAVAILABLE of a gRPC read, /health/ready and /metrics carry neither its address, nor the
 * driver's error, nor the password of DATABASE_URL; the logs may name the host (an operator needs it) but
 * never the password. rest-gateway and grpc-serving as processes over a real PostgreSQL and Redis.
 */
describe('answers while PostgreSQL is down name no address and no secret (rest-gateway, grpc-serving)', () => {
  let pg: DedicatedTestPostgres;
  let redis: RunningRedis;
  let rest: ServiceProcess;
  let grpc: ServiceProcess;
  let client: FeatureServingServiceClient;
  let restBase = '';
  let grpcHttp = '';
  let leaks: RegExp;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres({ dedicated: true }), startRedisServer()]);
    await runSql(pg.url, `CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
    const url = new URL(pg.url);
    url.username = ROLE;
    url.password = PASSWORD;
    leaks = new RegExp(`127\\.0\\.0\\.1|localhost|:${pg.port}\\b|${PASSWORD}|${ROLE}|ECONNREFUSED|postgres://`);
    const env = { HOST: '127.0.0.1', DATABASE_URL: url.toString(), ONLINE_STORE: 'redis', REDIS_URL: redis.url, ONLINE_STORE_L1_MAX_ENTRIES: '0' };
    const [restPort, grpcPort, grpcHttpPort] = [await freePort(), await freePort(), await freePort()];
    restBase = `http://127.0.0.1:${restPort}`;
    grpcHttp = `http://127.0.0.1:${grpcHttpPort}`;
    rest = spawnService('rest-gateway', { ...env, PORT: String(restPort) });
    grpc = spawnService('grpc-serving', { ...env, GRPC_PORT: String(grpcPort), HTTP_PORT: String(grpcHttpPort) });
    // Generous: these suites share a loaded machine.
    await Promise.all([waitForHttp(rest, `${restBase}/health/ready`, 200, 90_000), waitForHttp(grpc, `${grpcHttp}/health/ready`, 200, 90_000)]);
    const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
    const pkg = loadPackageDefinition(definition) as unknown as ServingProtoGrpcType;
    client = new pkg.bnpl.featurestore.v1.FeatureServingService(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    await pg.kill();
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await Promise.all([rest?.stop(), grpc?.stop()]);
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  it('/health/ready says only that postgres is down', async () => {
    for (const base of [restBase, grpcHttp]) {
      const ready = await waitFor(`${base} not ready`, async () => {
        const r = await getJson(`${base}/health/ready`, 3_000);
        return r.status === 503 ? r : undefined;
      });
      expect(ready.body).toEqual({ status: 'error', degraded: [], info: { 'online-store': { status: 'up' } }, error: { postgres: { status: 'down' } }, details: { postgres: { status: 'down' }, 'online-store': { status: 'up' } } });
    }
  });

  it('a REST read that needs PostgreSQL answers 503 without its address or the driver error', async () => {
    const answer = await waitFor('a 503', async () => {
      const r = await getJson(`${restBase}/v1/customers/42/features?features=customer_profile:country`, 5_000);
      return r.status === 503 ? r : undefined;
    });
    expect(answer.body).toMatchObject({ status: 503, reason: expect.stringMatching(/UNAVAILABLE/) });
    expect(JSON.stringify(answer.body)).not.toMatch(leaks);
  });

  it('a gRPC read that needs PostgreSQL answers UNAVAILABLE without its address or the driver error', async () => {
    const error = await waitFor('UNAVAILABLE', async () => {
      const failure = await new Promise<ServiceError | undefined>((resolve) =>
        client.GetOnlineFeatures(
          { features: { refs: ['customer_profile:country'] }, entities: [{ keys: [{ join_key: 'customer_id', id: '43' }] }] },
          new Metadata(),
          { deadline: Date.now() + 5_000 },
          (err) => resolve(err ?? undefined),
        ),
      );
      return failure?.code === status.UNAVAILABLE ? failure : undefined;
    });
    expect(error.details).toMatch(/unavailable/i);
    expect(`${error.details} ${JSON.stringify(error.metadata.getMap())}`).not.toMatch(leaks);
  });

  it('metrics carry no secret, and the logs name no password', async () => {
    for (const base of [restBase, grpcHttp]) expect(String((await getJson(`${base}/metrics`, 3_000)).body)).not.toMatch(new RegExp(`${PASSWORD}|postgres://`));
    for (const service of [rest, grpc]) expect(service.output()).not.toContain(PASSWORD);
  });
});
