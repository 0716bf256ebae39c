import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureServingServiceClient, type GetOnlineFeaturesResponse__Output, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { freePort, seedSyntheticSource, startTestStack, waitFor, WORKSPACE_ROOT, type StartedService, type TestStack } from '@bnpl/testing';

// grpc-serving as a pool of two worker processes on one port (SERVING_WORKERS=2): both serve, /metrics
// gives both, a killed worker is started again while the other serves on, SIGTERM stops them all.

const CALLS = 40;

describe('grpc-serving with SERVING_WORKERS=2', () => {
  let stack: TestStack;
  let serving: StartedService;
  let address: string;
  const clients: FeatureServingServiceClient[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSyntheticSource(stack.pg.url, 20);
    const grpcPort = await freePort();
    address = `127.0.0.1:${grpcPort}`;
    serving = await stack.startService('grpc-serving', { SERVING_WORKERS: '2', GRPC_PORT: String(grpcPort) }, { portVariable: 'HTTP_PORT' });
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  /** A client on a connection of its own (the pool hands connections, not calls, to workers in turn). */
  const newClient = (): FeatureServingServiceClient => {
    const pkg = loadPackageDefinition(loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] })) as unknown as ServingProtoGrpcType;
    const client = new pkg.bnpl.featurestore.v1.FeatureServingService(address, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
    clients.push(client);
    return client;
  };
  const call = (client: FeatureServingServiceClient, customer: number) =>
    new Promise<GetOnlineFeaturesResponse__Output>((resolve, reject) =>
      client.GetOnlineFeatures({ features: { refs: ['customer_profile:kyc_level'] }, entities: [{ keys: [{ join_key: 'customer_id', id: String(customer) }] }] }, { deadline: Date.now() + 10_000 }, (error, response) => (error || !response ? reject(error ?? new Error('no response')) : resolve(response))),
    );
  /** Answered calls per worker, from the pool's merged /metrics. */
  const callsByWorker = async (): Promise<Map<string, number>> => {
    const text = await (await fetch(`${serving.url}/metrics`)).text();
    const counts = new Map<string, number>();
    for (const [, worker, n] of text.matchAll(/^bnpl_grpc_server_request_duration_seconds_count\{worker="(\d+)",rpc="[^"]*GetOnlineFeatures",code="OK"[^}]*\} (\d+)$/gm)) counts.set(worker, (counts.get(worker) ?? 0) + Number(n));
    return counts;
  };
  const workerPids = (): number[] =>
    execFileSync('pgrep', ['-P', String(serving.child.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);

  it('serves from both workers, and /metrics counts each worker\'s calls', async () => {
    // The instance is ready when one worker is: the other may still be starting, and until it listens the
    // pool hands it no connection. Calls on new connections until both have answered.
    await waitFor('both workers listening', async () => (/worker 0 listening/.test(serving.output()) && /worker 1 listening/.test(serving.output())) || undefined, 60_000, 50);
    let calls = 0;
    const counts = await waitFor(
      'calls answered by both workers',
      async () => {
        for (const client of Array.from({ length: 4 }, newClient)) {
          expect((await call(client, 1 + (calls++ % 20))).rows).toHaveLength(1);
        }
        const byWorker = await callsByWorker();
        return byWorker.size === 2 && calls >= CALLS ? byWorker : undefined;
      },
      60_000,
      100,
    );
    expect([...counts.keys()].sort()).toEqual(['0', '1']);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(calls);
    expect(workerPids()).toHaveLength(2);
  }, 90_000);

  it('starts a killed worker again, and the other serves meanwhile', async () => {
    const [victim, survivor] = workerPids();
    process.kill(victim, 'SIGKILL');
    await waitFor('the pool to see the worker gone', async () => /worker \d exited \(code null, signal SIGKILL\); starting it again/.test(serving.output()) || undefined, 10_000, 20);
    // New connections go to the worker alive; every call is answered.
    for (let i = 0; i < 10; i++) expect((await call(newClient(), 1 + i)).rows).toHaveLength(1);
    const pids = await waitFor('a new worker', async () => {
      const now = workerPids();
      return now.length === 2 && !now.includes(victim) ? now : undefined;
    }, 30_000, 100);
    expect(pids).toContain(survivor);
  }, 60_000);

  it('stops every worker on SIGTERM and exits 0', async () => {
    const pids = workerPids();
    await serving.stop();
    expect(await serving.exited).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
