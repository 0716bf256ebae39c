import { readFileSync, writeFileSync } from 'node:fs';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { makeTempDir } from '@bnpl/service-launchers';
import { awayFromUtcMidnight, getJson, runSql, seedSyntheticSource, startTestStack, waitForJob, type StartedService, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 200;
const DAY = 86_400_000;
/** The suite's longest run (stack start included): its days are computed from the date it starts on. */
const SUITE_SPAN_MS = 180_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

/**
 * Feature history: a backfill of past days and a materialization write the DuckDB offline store through
 * a batch-processor; point-in-time retrieval afterwards returns, for each (customer, instant), the values
 * the source can tell about the end of the latest written day before that instant: no customer before it
 * existed, no payment after the day, nothing for a feature whose past the source does not keep.
 */
describe('feature history in the DuckDB offline store (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB)', () => {
  const dir = makeTempDir('bnpl-history-');
  const duckdbPath = `${dir.path}/offline.duckdb`;
  let stack: TestStack;
  let processor: StartedService;
  let api: string;

  beforeAll(async () => {
    // Backfilled days, seeded ages and expected values are dated by the UTC date: one date for the whole suite.
    await awayFromUtcMidnight(SUITE_SPAN_MS);
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    [{ url: api }, processor] = await Promise.all([
      // Entity files and training sets live in the job files root (absolute paths inside it are accepted).
      stack.startService('rest-gateway', { JOB_FILES_ROOT: dir.path }),
      stack.startService('batch-processor', { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: duckdbPath, JOB_FILES_ROOT: dir.path }),
    ]);
  }, SUITE_SPAN_MS + 120_000);

  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  const run = async (body: unknown) => {
    const r = await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(202);
    const { job } = (await r.json()) as { job: { id: string } };
    return (await waitForJob(api, job.id, 60_000)).job;
  };

  it('builds a training set through the API from an entity file, and rejects a bad file with the reason', async () => {
    expect(await run({ kind: 'materialize', views: ['customer_profile', 'customer_exposure'] })).toMatchObject({ state: 'succeeded' });
    const entities = `${dir.path}/entities.csv`;
    const later = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(entities, `customer_id,event_timestamp,defaulted\n1,${later},0\n2,${later},1\n999999,${later},0\n3,2020-01-01T00:00:00Z,0\n`);
    const output = `${dir.path}/training.csv`;
    const built = await run({ kind: 'historical', entity_file: entities, output_file: output, features: ['customer_profile:kyc_level', 'customer_exposure:outstanding_balance'] });
    expect(built).toMatchObject({ state: 'succeeded', rows_done: 4 });
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const byCustomer = new Map(rows.map((r) => [`${r.customer_id}@${r.event_timestamp.slice(0, 4)}`, r]));
    // Customer 1 has history before its instant; 999999 has none; customer 3 at 2020 predates every row.
    const statusOf = (row: Record<string, string> | undefined) => Object.entries(row ?? {}).filter(([k]) => k.endsWith('status')).map(([, v]) => v);
    expect(byCustomer.get(`1@${later.slice(0, 4)}`)).toMatchObject({ defaulted: '0' });
    expect(statusOf(byCustomer.get(`1@${later.slice(0, 4)}`))).toEqual(['PRESENT', 'PRESENT']);
    expect(statusOf(byCustomer.get(`999999@${later.slice(0, 4)}`))).toEqual(['MISSING', 'MISSING']);
    expect(statusOf(byCustomer.get('3@2020'))).toEqual(['MISSING', 'MISSING']);

    const bad = `${dir.path}/bad.csv`;
    writeFileSync(bad, 'customer_id,label\n1,0\n');
    const rejected = await run({ kind: 'historical', entity_file: bad, output_file: `${dir.path}/never.csv`, features: ['customer_profile:kyc_level'] });
    expect(rejected.state).toBe('failed');
    expect((await getJson(`${api}/v1/jobs`)).body).toMatchObject({ jobs: expect.arrayContaining([expect.objectContaining({ state: 'failed', error: expect.stringMatching(/event_timestamp/) })]) });
  });

  it('backfills only what the source can tell about each past day, and retrieves it point in time', async () => {
    const noon = (d: string) => `'${d}T12:00:00Z'::timestamptz`;
    await runSql(
      stack.pg.url,
      // A customer created on the second backfilled day, and failed payments of customer 1 on three days.
      `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
       VALUES (901, 'n@x', 'N', 'DE', 'EUR', 3, 1000, ${noon(day(2))}, now())`,
      ...[3, 2, 1].map(
        (d) => `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, failure_reason, attempted_at)
                SELECT id, 1, 100, 'EUR', 'failed', 'card_expired', ${noon(day(d))} FROM installments WHERE customer_id = 1 LIMIT 1`,
      ),
    );
    // customer_exposure keeps no history (balances of instalments without a creation time, the limit): refused.
    const refused = await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'backfill', views: ['customer_exposure'], from: day(3), to: day(2) }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/"customer_exposure" cannot be backfilled/);

    const backfill = await run({ kind: 'backfill', views: ['customer_repayment', 'customer_profile'], from: day(3), to: day(2) });
    // Every customer on both days, customer 901 only on the day it was created.
    expect(backfill).toMatchObject({ state: 'succeeded', rows_done: (CUSTOMERS * 2 + 1) * 2 });
    expect(await run({ kind: 'materialize', views: ['customer_repayment'] })).toMatchObject({ state: 'succeeded' });
    // DuckDB allows one process per file: stop the batch-processor before reading it here.
    await processor.stop();

    const store = await DuckDBOfflineStore.open({ path: duckdbPath, catalog: bnplCatalog });
    const db = new SourceDatabase({ type: 'postgres', url: stack.pg.url });
    await db.start();
    try {
      const past = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
      const endOf = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY - 1);
      // 03:00 on the day after each backfilled day sees that day's end-of-day row (within the views' TTLs).
      const rows = ['1', '2', '3', '150', '901'].flatMap((c) => [day(2), day(1)].map((d) => ({ customer_id: c, event_timestamp: new Date(Date.parse(`${d}T03:00:00Z`)) })));
      const result = await store.getHistoricalFeatures({ entityRows: rows, features: ['customer_repayment:*', 'customer_profile:*'], output: { kind: 'memory' } });
      const refs = result.featureNames;
      for (const [i, row] of (result.rows ?? []).entries()) {
        const asOfDay = i % 2 === 0 ? day(3) : day(2);
        const id = rows[i].customer_id;
        const expected = {
          ...(await past.readViewAt('customer_repayment', [id], endOf(asOfDay)))[0],
          ...(await past.readViewAt('customer_profile', [id], endOf(asOfDay)))[0],
        };
        const got = Object.fromEntries(refs.map((ref, j) => [ref.split(':')[1], row.features[j].status === 'PRESENT' ? row.features[j].value : null]));
        const want = Object.fromEntries(refs.map((ref) => [ref.split(':')[1], expected[ref.split(':')[1]] ?? null]));
        expect({ customer: id, day: asOfDay, values: got }).toEqual({ customer: id, day: asOfDay, values: want });
        // Not before it existed: no row at all for customer 901 on the day before its creation.
        const existed = id !== '901' || asOfDay === day(2);
        expect({ customer: id, day: asOfDay, statuses: new Set(row.features.map((f) => (f.status === 'MISSING' ? 'MISSING' : 'found'))) }).toEqual({ customer: id, day: asOfDay, statuses: new Set([existed ? 'found' : 'MISSING']) });
        // A feature whose past the source does not keep is left out of a backfilled row (DEFAULT), never today's value.
        if (existed) expect(row.features[refs.indexOf('customer_profile:kyc_level')]).toMatchObject({ status: 'DEFAULT', value: 0 });
      }
      // No event after the day: customer 1's failed attempts by the end of each day.
      const attempts = (result.rows ?? []).filter((r) => r.entityRow.customer_id === '1').map((r) => r.features[refs.indexOf('customer_repayment:failed_payment_attempts_7d')].value);
      expect(attempts).toEqual([1, 2]);
    } finally {
      await db.close();
      await store.close();
    }
  });
});
