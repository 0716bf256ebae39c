import { readFileSync, writeFileSync } from 'node:fs';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { makeTempDir } from '@bnpl/service-launchers';
import { getJson, seedSyntheticSource, startTestStack, waitForJob, type StartedService, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 200;
const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

/**
 * Feature history: a backfill of past days and a materialization write the DuckDB offline store through
 * a batch-processor; point-in-time retrieval afterwards returns, for each (customer, instant), the values
 * the source SQL computes as of the end of the latest written day before that instant.
 */
describe('feature history in the DuckDB offline store (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB)', () => {
  const dir = makeTempDir('bnpl-history-');
  const duckdbPath = `${dir.path}/offline.duckdb`;
  let stack: TestStack;
  let processor: StartedService;
  let api: string;

  beforeAll(async () => {
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    [{ url: api }, processor] = await Promise.all([
      stack.startService('rest-gateway'),
      stack.startService('batch-processor', { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: duckdbPath }),
    ]);
  });

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

  it('backfills end-of-day history and retrieves it point in time, equal to the source SQL as of those days', async () => {
    const backfill = await run({ kind: 'backfill', views: ['customer_repayment'], from: day(3), to: day(2) });
    expect(backfill).toMatchObject({ state: 'succeeded', rows_done: CUSTOMERS * 2 });
    expect(await run({ kind: 'materialize', views: ['customer_repayment'] })).toMatchObject({ state: 'succeeded' });
    // DuckDB allows one process per file: stop the batch-processor before reading it here.
    await processor.stop();

    const store = await DuckDBOfflineStore.open({ path: duckdbPath, catalog: bnplCatalog });
    const db = new SourceDatabase({ type: 'postgres', url: stack.pg.url });
    await db.start();
    try {
      const source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
      const endOf = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY - 1);
      // 03:00 on the day after each backfilled day sees that day's end-of-day row (within the view's 6 h TTL).
      const rows = [1, 2, 3, 150].flatMap((c) => [day(2), day(1)].map((d) => ({ customer_id: String(c), event_timestamp: new Date(Date.parse(`${d}T03:00:00Z`)), label: c % 2 })));
      const result = await store.getHistoricalFeatures({ entityRows: rows, features: ['customer_repayment:*'], output: { kind: 'memory' } });
      const features = bnplCatalog.getView('customer_repayment').features.map((f) => f.name);
      expect(result.featureNames).toEqual(features.map((f) => `customer_repayment:${f}`));
      for (const [i, row] of (result.rows ?? []).entries()) {
        const asOfDay = i % 2 === 0 ? day(3) : day(2);
        const [expected] = await source.readView('customer_repayment', [rows[i].customer_id], endOf(asOfDay));
        const got = Object.fromEntries(features.map((f, j) => [f, row.features[j].value]));
        const want = Object.fromEntries(features.map((f) => [f, expected?.[f] ?? bnplCatalog.getFeature(`customer_repayment:${f}`).feature.default]));
        expect({ customer: rows[i].customer_id, day: asOfDay, values: got }).toEqual({ customer: rows[i].customer_id, day: asOfDay, values: want });
        expect(row.features[0].eventTime).toEqual(endOf(asOfDay));
        expect(row.entityRow.label).toBe(rows[i].label);
      }
    } finally {
      await db.close();
      await store.close();
    }
  });
});
