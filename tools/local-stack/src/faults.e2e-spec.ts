import { connect } from 'node:net';
import { join } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { checkParity } from '@bnpl/parity';
import { migrateDatabase, PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres, type RunningRedis } from '@bnpl/service-launchers';
import { freePort, getJson, runSql, seedSyntheticSource, serviceEnv, SourceChangeWriter, spawnService, waitFor, waitForSlotCaughtUp, type ServiceProcess } from '@bnpl/testing';
import { supervisePostgres, superviseRedis } from './supervised-dependencies';
import { processInstance, Supervisor, type Backoff } from './supervisor';

const CUSTOMERS = 300;
/** Customers the writer changes (1..150) and customers the readers check (151..300, never changed). */
const WRITTEN = 150;
const READ_FEATURES = 'customer_profile:*,customer_exposure:*,customer_repayment:*,customer_spending:*';
const WORKERS = 4;
const FAST: Backoff = { initialMs: 200, maxMs: 2_000, stableAfterMs: 60_000 };
/**
 * PostgreSQL is crashed below, so commits must be written before they are visible (`synchronous_commit`
 * on, as on any real source): with it off, a crash can drop a commit that cdc-ingestor already read while
 * recomputing an earlier change, and the online store keeps a value the source no longer has (parity
 * then fails on it, rarely). fsync stays off, for speed: a process crash leaves the OS's page cache intact.
 */
const CRASH_SAFE_PG = { durable: false, settings: { synchronous_commit: 'on' } } as const;

interface FeaturesBody {
  results: Array<{ values: Array<{ value: unknown; status: string }> }>;
}

/** Sends SHUTDOWN NOSAVE: Redis stops at once and, without persistence, comes back empty. */
function shutdownRedis(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n'));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/**
 * The fault suite: Redis, PostgreSQL, batch-processor and cdc-ingestor are killed in turn while clients
 * read and a writer changes the source, each service and dependency supervised as the local stack does
 * (restart with backoff). The system must recover by itself: no answer ever differs from the values served
 * before the faults (503 is allowed only while PostgreSQL is down), the lost Redis is rebuilt
 * automatically, and at the end the online store equals the batch SQL for every customer (parity: zero
 * mismatches, nothing missing).
 */
describe('fault suite: the system heals its own faults (supervised services, real PostgreSQL and Redis)', () => {
  const dir = makeTempDir('bnpl-faults-');
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const supervisors: Supervisor[] = [];
  const processes = new Map<string, ServiceProcess>();
  let pg: { supervisor: Supervisor; current: () => RunningPostgres };
  let redis: { redis: RunningRedis; supervisor: Supervisor };
  let pgUrl: string;
  let rest: string;
  const ports: Record<string, number> = {};

  async function supervise(app: string, env: Record<string, string>): Promise<void> {
    const port = await freePort();
    ports[app] = port;
    const supervisor = new Supervisor(
      app,
      async () => {
        const service = spawnService(app, { ...serviceEnv({ pg: { url: pgUrl }, redis: redis.redis }), PORT: String(port), ...env });
        processes.set(app, service);
        return processInstance(service.child, 10_000);
      },
      log,
      FAST,
    );
    supervisors.push(supervisor);
    await supervisor.start();
  }

  const ready = (app: string) => waitFor(`${app} ready`, async () => (await getJson(`http://127.0.0.1:${ports[app]}/health/ready`, 2_000).catch(() => ({ status: 0 }))).status === 200, 60_000, 200);

  beforeAll(async () => {
    const first = await startEmbeddedPostgres({ dataDir: join(dir.path, 'pg'), ...CRASH_SAFE_PG });
    pgUrl = first.url;
    await migrateDatabase({ type: 'postgres', url: pgUrl });
    await seedSyntheticSource(pgUrl, CUSTOMERS);
    pg = await supervisePostgres(first, CRASH_SAFE_PG, log, FAST);
    redis = await superviseRedis(log, FAST);
    await supervise('batch-processor', { LOG_LEVEL: 'log', OFFLINE_STORE: 'none' });
    await supervise('cdc-ingestor', {});
    await supervise('rest-gateway', { ONLINE_STORE_L1_MAX_ENTRIES: '0' });
    rest = `http://127.0.0.1:${ports['rest-gateway']}`;
    await Promise.all(['batch-processor', 'cdc-ingestor', 'rest-gateway'].map(ready));
  }, 180_000);

  afterAll(async () => {
    for (const s of supervisors.reverse()) await s.stop();
    await redis?.supervisor.stop();
    await pg?.supervisor.stop();
    dir.remove();
  });

  async function parity(entity: 'customer' | 'merchant', toId: number) {
    const db = new SourceDatabase({ type: 'postgres', url: pgUrl, poolSize: 2 });
    await db.start();
    const online = createOnlineStore({ type: 'redis', url: redis.redis.url }, bnplCatalog);
    try {
      await waitFor('a connection to Redis', () => online.ping().then(() => true, () => false));
      const source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
      return await checkParity({ catalog: bnplCatalog, source, online }, { entity, fromId: '1', toId: String(toId) });
    } finally {
      await online.close();
      await db.close();
    }
  }

  it('recovers from every fault under load with zero wrong answers and zero parity mismatches', async () => {
    const url = (c: number) => `${rest}/v1/customers/${c}/features?features=${READ_FEATURES}`;
    const valuesOf = (body: unknown) => JSON.stringify((body as FeaturesBody).results[0].values.map((v) => [v.value, v.status]));
    const expected = new Map<number, string>();
    for (let c = WRITTEN + 1; c <= CUSTOMERS; c++) {
      const r = await getJson(url(c));
      expect(r.status).toBe(200);
      expected.set(c, valuesOf(r.body));
    }

    // Load: readers of the customers nobody changes, and a writer changing the others (the ingestor streams them).
    let pgDown = false;
    let stop = false;
    const wrong: string[] = [];
    const unavailable = { allowed: 0, unexpected: [] as string[] };
    let answered = 0;
    const reader = async (w: number) => {
      for (let i = w; !stop; i += WORKERS) {
        const c = WRITTEN + 1 + (i % (CUSTOMERS - WRITTEN));
        const down = pgDown;
        const r = await getJson(url(c), 5_000).catch((e: Error) => ({ status: 0, body: e.message }));
        if (r.status === 200) {
          answered++;
          if (valuesOf(r.body) !== expected.get(c)) wrong.push(`customer ${c}: ${valuesOf(r.body).slice(0, 200)}`);
        } else if (r.status === 503 && (down || pgDown)) unavailable.allowed++;
        else unavailable.unexpected.push(`customer ${c}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        await new Promise((res) => setTimeout(res, 10));
      }
    };
    let writes = 0;
    const writer = async () => {
      let w: SourceChangeWriter | null = null;
      while (!stop) {
        try {
          w ??= await SourceChangeWriter.open(pgUrl, { customers: WRITTEN, seed: 7 });
          await w.step();
          writes++;
        } catch {
          w = null; // PostgreSQL is down: reconnect when it is back
          await new Promise((res) => setTimeout(res, 200));
        }
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const load = Promise.all([...Array.from({ length: WORKERS }, (_, w) => reader(w)), writer()]);
    const settle = (ms: number) => new Promise((res) => setTimeout(res, ms));
    const restartsOf = (s: Supervisor) => s.restarts;

    try {
      await settle(1_000);

      // 1. batch-processor SIGKILLed: restarted by its supervisor.
      const batch = supervisors.find((s) => s.name === 'batch-processor') as Supervisor;
      process.kill(batch.current?.pid ?? 0, 'SIGKILL');
      await waitFor('batch-processor restarted', async () => restartsOf(batch) === 1 && batch.current !== null, 30_000, 100);
      await ready('batch-processor');

      // 2. Redis stopped without saving: restarted empty, rebuilt once by batch-processor while reads use PostgreSQL.
      await shutdownRedis(redis.redis.port);
      await waitFor('redis-server restarted', async () => restartsOf(redis.supervisor) === 1 && redis.supervisor.current !== null, 30_000, 100);
      const [rebuild] = await waitFor('the rebuild job', async () => {
        const rows = await runSql(pgUrl, `SELECT g.rebuild_job_id AS id, j.state FROM online_store_generation g JOIN feature_jobs j ON j.id::text = g.rebuild_job_id WHERE g.generation = 2`).catch(() => []);
        return rows.length > 0 && rows[0]['state'] === 'succeeded' ? rows : undefined;
      }, 90_000, 250);
      expect(rebuild['state']).toBe('succeeded');

      // 3. PostgreSQL crashes (immediate shutdown): restarted on its data; reads go on from Redis.
      pgDown = true;
      await pg.current().kill();
      await waitFor('postgresql restarted', async () => restartsOf(pg.supervisor) === 1 && pg.supervisor.current !== null, 60_000, 100);
      await waitFor('rest-gateway sees PostgreSQL again', async () => {
        const r = await getJson(`${rest}/health/ready`, 2_000).catch(() => ({ status: 0, body: {} }));
        return r.status === 200 && (r.body as { info?: Record<string, unknown> }).info?.['postgres'] !== undefined;
      }, 60_000, 200);
      pgDown = false;

      // 4. cdc-ingestor SIGKILLed: restarted, it resumes from its replication slot.
      const ingestor = supervisors.find((s) => s.name === 'cdc-ingestor') as Supervisor;
      process.kill(ingestor.current?.pid ?? 0, 'SIGKILL');
      await waitFor('cdc-ingestor restarted', async () => restartsOf(ingestor) === 1 && ingestor.current !== null, 30_000, 100);
      await ready('cdc-ingestor');
      await settle(2_000);
    } finally {
      stop = true;
      await load;
    }

    expect(wrong.slice(0, 5)).toEqual([]);
    expect(unavailable.unexpected.slice(0, 5)).toEqual([]);
    expect(answered).toBeGreaterThan(200);
    expect(writes).toBeGreaterThan(50);
    for (const name of ['batch-processor', 'redis-server', 'postgresql', 'cdc-ingestor']) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${name} stopped \\(.*\\) after [\\d.]+ s: restarting in \\d+ ms \\(restart 1\\)$`)));
    }
    expect(processes.get('batch-processor')?.output()).toMatch(/online store rebuild started: job/);

    // Everything the writer committed is applied, then the online store equals the batch SQL.
    await waitForSlotCaughtUp(pgUrl, 'bnpl_features', 60_000);
    for (const [entity, count] of [['customer', CUSTOMERS], ['merchant', 3]] as const) {
      const report = await parity(entity, count);
      expect({ entity, mismatchedRows: report.mismatchedRows, missingOnline: report.missingOnline, samples: report.samples.slice(0, 2) }).toEqual({ entity, mismatchedRows: 0, missingOnline: 0, samples: [] });
    }
  }, 400_000);
});
