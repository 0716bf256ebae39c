import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkParity, type ParityReport } from '@bnpl/parity';
import { materializeRange } from '@bnpl/batch';
import { PostgresSourceFeatureReader, pgQuery } from '@bnpl/postgres';
import { bnplCatalog } from '@bnpl/feature-definitions';
import type { OnlineStore } from '@bnpl/online-store';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { makeTempDir } from '@bnpl/service-launchers';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { freePort, runSql, seedSyntheticSource, startRedisServer, startTestPostgres, waitFor, WORKSPACE_ROOT, type RunningRedis, type TestPostgres } from '@bnpl/testing';
import { Pool } from 'pg';
import { runParityCli } from './run-parity';

// The parity check end to end: real PostgreSQL and redis-server, the batch path's materializeRange
// filling Redis, then the CLI (as a child process, and in-process for speed) judging the result.

const CUSTOMERS = 300;
const DAY_MS = 86_400_000;
const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('parity check against PostgreSQL and Redis', () => {
  const dir = makeTempDir('bnpl-parity-');
  let pg: TestPostgres;
  let redis: RunningRedis;
  let pool: Pool;
  let source: PostgresSourceFeatureReader;
  let online: OnlineStore;
  let env: Record<string, string>;

  /** Runs the CLI in this process; resolves with its exit code, output and JSON report. */
  async function cli(argv: string[], extraEnv: Record<string, string> = {}) {
    const out = sink();
    const err = sink();
    const report = join(dir.path, `report-${Math.random().toString(36).slice(2)}.json`);
    const code = await runParityCli([...argv, '--report', report], { env: { ...env, ...extraEnv }, out: out.stream, err: err.stream, cwd: dir.path, connectTimeoutMs: 1_000 });
    const json = code <= 1 ? (JSON.parse(readFileSync(report, 'utf8')) as ParityReport & { parameters: unknown }) : undefined;
    return { code, out: out.text(), err: err.text(), report: json };
  }

  const materialize = (fromId: string, toId: string, asOf: Date) => materializeRange({ catalog: bnplCatalog, source, online }, { views: customerViews, fromId, toId, asOf, chunkSize: 64 });

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres(), startRedisServer()]);
    await seedSyntheticSource(pg.url, CUSTOMERS);
    pool = new Pool({ connectionString: pg.url, max: 4 });
    // pool.end() resolves before its sockets are closed: PostgreSQL stopping right after may still
    // terminate one, which is no failure of the test.
    pool.on('error', () => undefined);
    source = new PostgresSourceFeatureReader(bnplCatalog, pgQuery(pool));
    online = createOnlineStore({ type: 'redis', url: redis.url }, bnplCatalog);
    await waitFor('redis to answer', async () => (await online.ping(), true));
    // Customers 201..300 were last written 40 days ago: their windows and ages were those of that day.
    await materialize('1', '200', new Date());
    await materialize('201', String(CUSTOMERS), new Date(Date.now() - 40 * DAY_MS));
    env = { DATABASE_URL: pg.url, ONLINE_STORE: 'redis', REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
  });

  afterAll(async () => {
    await online?.close();
    await pool?.end();
    await Promise.all([pg?.stop(), redis?.stop()]);
    dir.remove();
  });

  // First: a never-connected ioredis client keeps a 2 s connect timer alive after close(); it runs out
  // while the other tests run instead of holding jest open at the end.
  it('exits 2 on bad flags or environment and 3 when a store does not answer, saying which', async () => {
    const badView = await cli(['--entity', 'customer', '--views', 'merchant_risk']);
    expect(badView).toMatchObject({ code: 2, err: expect.stringContaining('--views: "merchant_risk" is a view of merchant') });
    const outOfRange = await cli(['--entity', 'customer', '--from', '400']);
    expect(outOfRange).toMatchObject({ code: 2, err: expect.stringContaining(`--from 400 is after the highest customer id ${CUSTOMERS}`) });
    const noDb = await cli(['--entity', 'customer'], { DATABASE_URL: '' });
    expect(noDb).toMatchObject({ code: 2, err: expect.stringContaining('DATABASE_URL') });
    const memory = await cli(['--entity', 'customer'], { ONLINE_STORE: 'memory' });
    expect(memory).toMatchObject({ code: 2, err: expect.stringContaining('ONLINE_STORE=memory') });
    const deadRedis = await cli(['--entity', 'customer'], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(deadRedis).toMatchObject({ code: 3, err: expect.stringContaining('the online store (redis) did not answer') });
  });

  it('exits 0 with zero mismatches after a materialization, comparing old rows as of their own date (child process)', async () => {
    const report = join(dir.path, 'clean.json');
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['-r', './tools/register.cjs', 'tools/parity/src/main.ts', '--entity', 'customer', '--report', report],
        { cwd: WORKSPACE_ROOT, env: { ...process.env, ONLINE_STORE_L1_MAX_ENTRIES: '', ...env } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(stdout).toContain(`OK: the online store matches the source for ${CUSTOMERS * 4} rows`);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as ParityReport;
    expect(json).toMatchObject({
      entity: 'customer',
      views: customerViews,
      fromId: '1',
      toId: String(CUSTOMERS),
      entitiesChecked: CUSTOMERS,
      rowsChecked: CUSTOMERS * 4,
      mismatchedRows: 0,
      missingOnline: 0,
      orphanedOnline: 0,
      byFeature: {},
      staleDateRows: 100 * 4,
      consistent: true,
    });
    expect(Object.values(json.rowsByEventDate)).toEqual([400, 800]);
  });

  it('with --as-of now, reports the old rows whose windows and ages have moved since', async () => {
    const { code, report } = await cli(['--entity', 'customer', '--views', 'customer_profile', '--as-of', new Date().toISOString()]);
    expect(code).toBe(1);
    // Every customer written 40 days ago is 40 days older now.
    expect(report?.byFeature).toEqual({ 'customer_profile:account_age_days': 100 });
    expect(report).toMatchObject({ rowsChecked: CUSTOMERS, mismatchedRows: 100 });
  });

  it('names customer_exposure:overdue_balance and exits 1 after a source change the online store missed', async () => {
    const [due] = await runSql(pg.url, `UPDATE installments SET status = 'overdue', updated_at = now() WHERE id = (SELECT min(id) FROM installments WHERE customer_id = 5 AND status = 'scheduled') RETURNING amount_minor::int AS amount`);
    expect(Number(due['amount'])).toBeGreaterThan(0);

    const { code, out, report } = await cli(['--entity', 'customer', '--from', '1', '--to', String(CUSTOMERS)]);
    expect(code).toBe(1);
    expect(report?.byFeature).toEqual({ 'customer_exposure:overdue_balance': 1 });
    expect(report).toMatchObject({ entitiesChecked: CUSTOMERS, mismatchedRows: 1, missingOnline: 0, consistent: false });
    expect(out).toMatch(/customer_exposure:overdue_balance\s+1\n/);
    expect(out).toContain(`customer 5 customer_exposure:overdue_balance: expected {"amountMinor":${due['amount']},"currency":"EUR"}, online {"amountMinor":0,"currency":"EUR"}`);
    expect(out).toContain('MISMATCH: 1 of 1200 rows differ');

    // The same through the function API, as the ingestor's crash test calls it.
    const direct = await checkParity({ catalog: bnplCatalog, source, online }, { entity: 'customer', fromId: '1', toId: '10', chunkSize: 3 });
    expect(direct.samples).toEqual([expect.objectContaining({ entityId: '5', view: 'customer_exposure', feature: 'overdue_balance', expected: { amountMinor: Number(due['amount']), currency: 'EUR' }, online: { amountMinor: 0, currency: 'EUR' } })]);

    // Re-materializing the customer repairs it.
    await materialize('5', '5', new Date());
    expect((await cli(['--entity', 'customer', '--from', '1', '--to', '10'])).code).toBe(0);
  });

  it('finds rows stored online for ids the source does not have among --ids, and reports rows missing online', async () => {
    const [stored] = (await online.read([{ entity: 'customer', id: '1' }], ['customer_profile']))[0];
    await online.write([{ key: { entity: 'customer', id: '5000' }, view: 'customer_profile', values: stored?.values ?? {}, eventTime: new Date() }]);
    const orphans = await cli(['--entity', 'customer', '--ids', '3,5000']);
    expect(orphans.code).toBe(1);
    expect(orphans.report).toMatchObject({ idsGiven: 2, entitiesChecked: 1, rowsChecked: 4, mismatchedRows: 0, orphanedOnline: 1, fromId: '3', toId: '5000' });
    expect(orphans.out).toContain('customer 5000 customer_profile: stored online');

    await online.delete([{ entity: 'customer', id: '7' }]);
    const missing = await cli(['--entity', 'customer', '--ids', '6,7,8', '--views', 'customer_profile,customer_spending']);
    expect(missing.code).toBe(1);
    expect(missing.report).toMatchObject({ rowsChecked: 6, mismatchedRows: 2, missingOnline: 2, byFeature: {} });
    await materialize('7', '7', new Date());
    expect((await cli(['--entity', 'customer', '--ids', '6,7,8'])).code).toBe(0);
  });

  it('checks the offline history\'s latest rows too when OFFLINE_STORE is set, and names what the history missed', async () => {
    // A failed payment of customer 12, in the online store too (re-materialized).
    await runSql(
      pg.url,
      `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, failure_reason, attempted_at)
       SELECT id, customer_id, 100, currency, 'failed', 'card_expired', now() FROM installments WHERE customer_id = 12 LIMIT 1`,
    );
    await materialize('12', '12', new Date());
    const path = join(dir.path, 'offline.duckdb');
    const history = await DuckDBOfflineStore.open({ path, catalog: bnplCatalog });
    try {
      // The history as a materialization leaves it, then a delete the history never heard of.
      const sink = { writeFeatureRows: async (view: string, rows: Parameters<typeof history.writeFeatureRows>[1]) => void (await history.writeFeatureRows(view, rows)) };
      await materializeRange({ catalog: bnplCatalog, source, history: sink }, { views: customerViews, fromId: '1', toId: '20', asOf: new Date(), historyTime: 'read' });
    } finally {
      await history.close();
    }
    const offlineEnv = { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: path };
    const clean = await cli(['--entity', 'customer', '--from', '1', '--to', '20'], offlineEnv);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain("OK: the offline history's latest rows matches the source for 80 rows");
    const offlineReport = JSON.parse(readFileSync(clean.out.match(/report: (\S+-offline\.json)/)?.[1] ?? '', 'utf8')) as ParityReport;
    expect(offlineReport).toMatchObject({ store: 'offline', rowsChecked: 80, mismatchedRows: 0, consistent: true });

    await runSql(pg.url, `DELETE FROM payments WHERE customer_id = 12`);
    const missed = await cli(['--entity', 'customer', '--from', '1', '--to', '20', '--stores', 'offline'], offlineEnv);
    expect(missed.code).toBe(1);
    expect(missed.report).toMatchObject({ store: 'offline', mismatchedRows: 1, byFeature: { 'customer_repayment:failed_payment_attempts_7d': 1 } });
    expect((await cli(['--entity', 'customer', '--stores', 'offline'], {})).err).toContain('--stores offline: set OFFLINE_STORE');
  });
});
