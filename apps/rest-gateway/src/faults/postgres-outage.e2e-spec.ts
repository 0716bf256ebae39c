import { startEmbeddedPostgres, type RunningPostgres } from '@bnpl/service-launchers';
import { getJson, seedSyntheticSource, serviceEnv, spawnService, startRedisServer, startTestPostgres, freePort, waitForHttp, type RunningRedis, type ServiceProcess } from '@bnpl/testing';

const CUSTOMERS = 3_000;

/**
 * PostgreSQL dies under load and comes back: reads that need it (customers Redis does not hold yet) fail
 * with 503 meanwhile, and work again as soon as PostgreSQL answers: the source breaker closes at the first
 * successful probe, not a reset timeout (or two) later, so no request fails after readiness says the
 * database is back.
 */
describe('rest-gateway while PostgreSQL dies and returns (real PostgreSQL and Redis)', () => {
  let pg: RunningPostgres & { stop(): Promise<void> };
  let redis: RunningRedis;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres({ dedicated: true }), startRedisServer()]);
    await seedSyntheticSource(pg.url, CUSTOMERS);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService('rest-gateway', { ...serviceEnv({ pg, redis }), PORT: String(port), ONLINE_STORE_L1_MAX_ENTRIES: '0' });
    await waitForHttp(service, `${base}/health/ready`);
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  it('serves reads that need PostgreSQL again as soon as it answers, not seconds after readiness does', async () => {
    let next = 1;
    // Each read a customer never read before: Redis cannot answer it, PostgreSQL must.
    const read = async () => {
      const r = await getJson(`${base}/v1/customers/${next++}/features?features=customer_profile:country`, 5_000).catch(() => ({ status: 0 }));
      return r.status;
    };
    expect(await read()).toBe(200);

    const dataDir = pg.dataDir;
    const port = pg.port;
    await pg.kill();
    // Keep reading while it is down, long enough for the breaker to open, half-open and open again.
    const downUntil = Date.now() + 6_500;
    const during: number[] = [];
    while (Date.now() < downUntil) {
      during.push(await read());
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(during.filter((s) => s === 503).length).toBeGreaterThan(10);
    expect(during.every((s) => s === 503 || s === 200)).toBe(true);

    const restarted = await startEmbeddedPostgres({ dataDir, port, durable: false });
    const removeDataDir = pg.stop;
    pg = {
      ...restarted,
      stop: async () => {
        await restarted.stop();
        await removeDataDir();
      },
    };
    let readyAt = 0;
    let servedAt = 0;
    const deadline = Date.now() + 30_000;
    while ((readyAt === 0 || servedAt === 0) && Date.now() < deadline) {
      if (readyAt === 0) {
        const ready = await getJson(`${base}/health/ready`, 3_000).catch(() => ({ status: 0, body: {} }));
        if (ready.status === 200 && (ready.body as { info?: Record<string, unknown> }).info?.['postgres']) readyAt = Date.now();
      }
      if (servedAt === 0 && (await read()) === 200) servedAt = Date.now();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect({ readyAt: readyAt > 0, servedAt: servedAt > 0 }).toEqual({ readyAt: true, servedAt: true });
    // The breaker closes at the first probe after the database answers (every 250 ms), not 5-10 s later.
    expect(servedAt - readyAt).toBeLessThan(1_500);
    // And stays closed: every read from here on is served.
    const after: number[] = [];
    for (let i = 0; i < 20; i++) after.push(await read());
    expect(after).toEqual(after.map(() => 200));
    const metrics = (await getJson(`${base}/metrics`)).body as string;
    expect(metrics).toMatch(/^bnpl_serving_breaker_state\{dependency="source"\} 0$/m);
  });
});
