import { randomBytes } from 'node:crypto';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { checkOfflineParity } from '@bnpl/parity';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { makeTempDir } from '@bnpl/service-launchers';
import { runSql, seedSyntheticSource, SourceChangeWriter, startTestStack, waitFor, waitForJob, waitForSlotCaughtUp, type StartedService, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 60;
const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').length;

/**
 * Incremental materializations driven by what changed (real PostgreSQL logical replication, Redis, the
 * Pub/Sub emulator, DuckDB; the services as processes). The offline history gets only what the jobs write
 * here (the ingestor keeps the change log but publishes no history: CDC_HISTORY=off), so after every kind
 * of change the ingestor handles (inserts, updates, deletes, an order moving between customers, a merchant
 * table without an updated_at column, writers that leave updated_at alone), one incremental run must leave
 * the history's latest rows equal to the source: zero offline parity mismatches.
 */
describe('incremental materialization from the change log (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB)', () => {
  const dir = makeTempDir('bnpl-incremental-');
  const duckdbPath = `${dir.path}/offline.duckdb`;
  const slot = `incr_${randomBytes(4).toString('hex')}`;
  let stack: TestStack;
  let api: string;
  let processor: StartedService;

  const run = async (body: unknown) => {
    const r = await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(202);
    return (await waitForJob(api, ((await r.json()) as { job: { id: string } }).job.id, 120_000)).job;
  };

  beforeAll(async () => {
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    // The ingestor first: the change log must reach back to the full run's watermark.
    await stack.startService('cdc-ingestor', { CDC_SLOT_NAME: slot, CDC_HISTORY: 'off' });
    [{ url: api }, processor] = await Promise.all([stack.startService('rest-gateway'), stack.startService('batch-processor', { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: duckdbPath })]);
  });

  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  it('leaves zero offline parity mismatches after one incremental run over every kind of change', async () => {
    const full = await run({ kind: 'materialize' });
    expect(full).toMatchObject({ state: 'succeeded', rows_done: CUSTOMERS * customerViews + 3 });

    const writer = await SourceChangeWriter.open(stack.pg.url, { customers: CUSTOMERS, seed: 20261202 });
    try {
      for (let i = 0; i < 150; i++) await writer.step();
      // Inserts, updates, deletes and an order moving to another customer, all of them.
      expect(Object.entries(writer.counts).filter(([, n]) => n === 0)).toEqual([]);
    } finally {
      await writer.close();
    }
    await runSql(
      stack.pg.url,
      // Merchants have no updated_at column at all.
      `UPDATE merchants SET category = 'groceries' WHERE id = 2`,
      // Writers that leave updated_at alone.
      `UPDATE customers SET kyc_level = (kyc_level + 1) % 4, credit_limit_minor = credit_limit_minor + 100 WHERE id IN (3, 4)`,
      `UPDATE installments SET status = 'overdue', days_past_due = 7 WHERE id = (SELECT min(id) FROM installments WHERE customer_id = 9 AND status = 'scheduled')`,
      `UPDATE orders SET status = 'refunded' WHERE id = (SELECT min(id) FROM orders WHERE customer_id = 10)`,
    );
    const lastChange = Date.now();
    await waitForSlotCaughtUp(stack.pg.url, slot);
    await waitFor('the change log to be complete past the last change', async () => {
      const [row] = await runSql(stack.pg.url, `SELECT extract(epoch FROM through) * 1000 AS through FROM feature_change_log WHERE id = 1`);
      return Number(row?.['through'] ?? 0) >= lastChange || undefined;
    }, 30_000);

    const incremental = await run({ kind: 'materialize', incremental: true });
    expect(incremental.state).toBe('succeeded');
    // Only the entities the log names: fewer rows than a full run, and some.
    expect(incremental.rows_done).toBeGreaterThan(0);
    expect(incremental.rows_done).toBeLessThan(full.rows_done);

    // DuckDB allows one process per file: stop the batch-processor before reading it here.
    await processor.stop();
    const store = await DuckDBOfflineStore.open({ path: duckdbPath, catalog: bnplCatalog });
    const db = new SourceDatabase({ type: 'postgres', url: stack.pg.url, poolSize: 2 });
    await db.start();
    try {
      const source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
      for (const [entity, toId] of [['customer', CUSTOMERS], ['merchant', 3]] as const) {
        const report = await checkOfflineParity({ catalog: bnplCatalog, source, offline: store }, { entity, fromId: '1', toId: String(toId) });
        expect({ entity, mismatchedRows: report.mismatchedRows, missing: report.missingOnline, byFeature: report.byFeature, samples: report.samples.slice(0, 3) }).toEqual({
          entity,
          mismatchedRows: 0,
          missing: 0,
          byFeature: {},
          samples: [],
        });
        expect(report.rowsChecked).toBe(entity === 'customer' ? CUSTOMERS * customerViews : 3);
      }
    } finally {
      await db.close();
      await store.close();
    }
  });
});
