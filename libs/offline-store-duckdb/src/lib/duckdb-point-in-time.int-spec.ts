import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { FeatureRow, FeatureValue, FeatureView } from '@bnpl/feature-definitions';
import type { EntityRowInput, HistoricalFeatureValue, HistoricalFeaturesResult, OfflineRow } from '@bnpl/offline-store';
import { testCatalog } from '@bnpl/offline-store';
import { DuckDBOfflineStore } from './duckdb-offline-store';

// Point-in-time retrieval on a real DuckDB against a brute-force computation, on seeded random history:
// several views with different TTLs (1 min to 1 day) and two entities, rewrites of the same event time,
// entity timestamps equal to feature timestamps, exactly at and 1 ms past the TTL, before any history,
// for entities without history; labels passed through; memory, Parquet and CSV outputs agree.

const SEED = 20_250_301;
const BASE = Date.parse('2025-01-01T00:00:00Z');
const MINUTE = 60_000;
const CUSTOMERS = 240; // ids above 200 have no history
const MERCHANTS = 40; // ids above 30 have no history

/** mulberry32: small, seeded, good enough to spread test cases. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const int = (n: number) => Math.floor(rnd() * n);

function randomValue(f: FeatureView['features'][number]): FeatureValue | null {
  if (rnd() < 0.15) return null;
  switch (f.valueType) {
    case 'INT64':
      return pick([0, 1, int(1000), -int(1000), Number.MAX_SAFE_INTEGER]);
    case 'DOUBLE':
      return pick([0, 0.5, int(100_000) / 100, -1.25, 1e-9]);
    case 'STRING':
      return pick(['GB', 'active', '', "O'Brien", 'café', 'a,b;"c"']);
    case 'BOOL':
      return rnd() < 0.5;
    case 'MONEY':
      return { amountMinor: pick([0, int(1_000_000), -int(5000)]), currency: pick(['GBP', 'EUR', 'XXX']) };
  }
}

function randomValues(view: FeatureView): FeatureRow {
  return Object.fromEntries(view.features.map((f) => [f.name, randomValue(f)]));
}

/** The stored history as the brute force sees it: view -> entity -> event time (ms) -> values. */
type History = Map<string, Map<string, Map<number, FeatureRow>>>;

/** Stored rows' event times fall on a 10-minute grid, so that many entity timestamps tie with them. */
const gridTime = () => BASE + int(2000) * 10 * MINUTE;

function generateHistory(): Map<string, OfflineRow[]> {
  const byView = new Map<string, OfflineRow[]>();
  for (const view of testCatalog.views) {
    const ids = view.entity.name === 'merchant' ? 30 : 200;
    const rows: OfflineRow[] = [];
    for (let id = 1; id <= ids; id++) {
      if (rnd() < 0.1) continue; // some entities of the range have no history in this view
      const times = new Set(Array.from({ length: 1 + int(6) }, gridTime));
      for (const t of times) rows.push({ entityId: String(id), eventTime: new Date(t), values: randomValues(view) });
    }
    byView.set(view.name, rows);
  }
  return byView;
}

function applyWrites(history: History, view: string, rows: readonly OfflineRow[]): void {
  const byEntity = history.get(view) ?? new Map<string, Map<number, FeatureRow>>();
  history.set(view, byEntity);
  for (const r of rows) {
    const times = byEntity.get(r.entityId) ?? new Map<number, FeatureRow>();
    byEntity.set(r.entityId, times);
    times.set(r.eventTime.getTime(), r.values);
  }
}

/** Entity rows aimed at the edges: ties, TTL +0 and +1 ms, before all history, no history at all. */
function generateEntityRows(history: History, count: number): EntityRowInput[] {
  const seen = new Set<string>();
  const rows: EntityRowInput[] = [];
  const customerViews = testCatalog.views.filter((v) => v.entity.name === 'customer');
  while (rows.length < count) {
    const customer = 1 + int(CUSTOMERS);
    const merchant = 1 + int(MERCHANTS);
    const view = pick(customerViews);
    const times = [...(history.get(view.name)?.get(String(customer))?.keys() ?? [])];
    const anchor = times.length > 0 ? pick(times) : gridTime();
    const ttl = view.ttlSeconds * 1000;
    const t = pick([anchor, anchor + ttl, anchor + ttl + 1, anchor - 1, BASE - 86_400_000, gridTime() + int(10 * MINUTE), anchor + 5 * MINUTE]);
    const key = `${customer}/${merchant}/${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ customer_id: String(customer), merchant_id: String(merchant), event_timestamp: new Date(t), label: rows.length % 3 === 0 ? 1 : 0, note: pick(['x', null, 'y z']) });
  }
  return rows;
}

/** The definition, applied by hand: the latest row at or before the timestamp, then TTL, then nulls. */
function expected(history: History, view: FeatureView, entityId: string, at: number): HistoricalFeatureValue[] {
  let latest: number | undefined;
  for (const t of history.get(view.name)?.get(entityId)?.keys() ?? []) if (t <= at && (latest === undefined || t > latest)) latest = t;
  return view.features.map((f) => {
    if (latest === undefined) return { value: f.default, status: 'MISSING', eventTime: null };
    const eventTime = new Date(latest);
    if (at - latest > view.ttlSeconds * 1000) return { value: f.default, status: 'STALE', eventTime };
    const value = history.get(view.name)?.get(entityId)?.get(latest)?.[f.name] ?? null;
    return value === null ? { value: f.default, status: 'DEFAULT', eventTime } : { value, status: 'PRESENT', eventTime };
  });
}

/** Output columns of a memory result's row, as DuckDB reads them back from a file (bigints, Dates). */
function flatten(result: HistoricalFeaturesResult): Array<Record<string, unknown>> {
  return (result.rows ?? []).map((row) => {
    const out: Record<string, unknown> = { ...row.entityRow };
    result.featureNames.forEach((ref, i) => {
      const [view, feature] = ref.split(':');
      const f = row.features[i];
      out[`${view}__event_timestamp`] = f.eventTime;
      out[`${view}__${feature}__status`] = f.status;
      if (typeof f.value === 'object') {
        out[`${view}__${feature}__amount_minor`] = f.value.amountMinor;
        out[`${view}__${feature}__currency`] = f.value.currency;
      } else out[`${view}__${feature}`] = f.value;
    });
    return out;
  });
}

async function readBack(connection: DuckDBConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? (k.endsWith('_id') ? v.toString() : Number(v)) : v])));
}

describe('DuckDB point-in-time retrieval against brute force', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offline-pit-'));
  const history: History = new Map();
  let store: DuckDBOfflineStore;
  let entityRows: EntityRowInput[];
  let result: HistoricalFeaturesResult;
  const features = testCatalog.views.map((v) => `${v.name}:*`);

  beforeAll(async () => {
    store = await DuckDBOfflineStore.open({ path: join(dir, 'offline.duckdb'), catalog: testCatalog });
    for (const [view, rows] of generateHistory()) {
      // Half the views arrive as a stream of batches, as a materialization writes them.
      const half = Math.floor(rows.length / 2);
      const input = view.length % 2 === 0 ? rows : (async function* () { yield rows.slice(0, half); yield []; yield rows.slice(half); })();
      await expect(store.writeFeatureRows(view, input)).resolves.toEqual({ written: rows.length, skipped: 0 });
      applyWrites(history, view, rows);
    }
    // A re-run replaces what it wrote at the same event times (a later createdAt wins)...
    const exposure = testCatalog.getView('customer_exposure');
    const stored = [...(history.get(exposure.name) ?? [])].slice(0, 60).map(([id, times]) => ({ entityId: id, eventTime: new Date([...times.keys()][0]), values: randomValues(exposure) }));
    await expect(store.writeFeatureRows(exposure.name, stored)).resolves.toEqual({ written: stored.length, skipped: 0 });
    applyWrites(history, exposure.name, stored);
    // ...but a row produced earlier than the stored one (older createdAt) does not replace it,
    const late = stored.slice(0, 10).map((r) => ({ ...r, values: randomValues(exposure), createdAt: new Date(BASE) }));
    await expect(store.writeFeatureRows(exposure.name, late)).resolves.toEqual({ written: 0, skipped: 10 });
    // and of two rows with the same key in one call, the later one wins.
    const twice = [stored[10], { ...stored[10], values: randomValues(exposure) }];
    await expect(store.writeFeatureRows(exposure.name, twice)).resolves.toEqual({ written: 1, skipped: 1 });
    applyWrites(history, exposure.name, twice.slice(1));

    entityRows = generateEntityRows(history, 3000);
    result = await store.getHistoricalFeatures({ entityRows, features, output: { kind: 'memory' } });
  }, 120_000);

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns, for every entity row and feature, what the brute force finds', () => {
    const mismatches: string[] = [];
    entityRows.forEach((row, i) => {
      const at = (row.event_timestamp as Date).getTime();
      const want = testCatalog.views.flatMap((view) => expected(history, view, String(view.entity.name === 'merchant' ? row['merchant_id'] : row['customer_id']), at));
      const got = result.rows?.[i]?.features ?? [];
      want.forEach((w, j) => {
        if (JSON.stringify(w) !== JSON.stringify(got[j])) mismatches.push(`row ${i} ${result.featureNames[j]}: want ${JSON.stringify(w)}, got ${JSON.stringify(got[j])}`);
      });
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(result.rows).toHaveLength(entityRows.length);
  });

  it('answers the same for entity rows of a later span only, whose earlier history is pruned before the joins', async () => {
    // The span starts exactly when a customer's second exposure row does: its first row, superseded at
    // that instant, is pruned, and the entity row at that instant must get the second one.
    const [customer, times] = [...(history.get('customer_exposure') ?? [])].find(([, t]) => t.size >= 3 && [...t.keys()].sort((a, b) => a - b)[1] > BASE + 500 * 10 * MINUTE) ?? [];
    const middle = [...(times?.keys() ?? [])].sort((a, b) => a - b)[1];
    expect(middle).toBeDefined();
    const later: EntityRowInput[] = [
      { customer_id: customer, merchant_id: '1', event_timestamp: new Date(middle), label: 0, note: null },
      ...entityRows.filter((row) => (row.event_timestamp as Date).getTime() > middle),
    ];
    const partial = await store.getHistoricalFeatures({ entityRows: later, features, output: { kind: 'memory' } });
    const mismatches: string[] = [];
    later.forEach((row, i) => {
      const at = (row.event_timestamp as Date).getTime();
      const want = testCatalog.views.flatMap((view) => expected(history, view, String(view.entity.name === 'merchant' ? row['merchant_id'] : row['customer_id']), at));
      want.forEach((w, j) => {
        if (JSON.stringify(w) !== JSON.stringify(partial.rows?.[i]?.features[j])) mismatches.push(`row ${i} ${partial.featureNames[j]}`);
      });
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(partial.rows).toHaveLength(later.length);
    expect(later.length).toBeGreaterThan(500);
  });

  it('covers every status and both TTL edges', () => {
    const statuses = new Set(result.rows?.flatMap((r) => r.features.map((f) => f.status)));
    expect([...statuses].sort()).toEqual(['DEFAULT', 'MISSING', 'PRESENT', 'STALE']);
    const flags = result.featureNames.indexOf('customer_flags:is_vip');
    const edges = entityRows.map((row, i) => {
      const f = result.rows?.[i]?.features[flags];
      return f?.eventTime ? (row.event_timestamp as Date).getTime() - f.eventTime.getTime() : undefined;
    });
    expect(edges).toContain(60_000); // exactly the TTL: still fresh
    expect(edges).toContain(60_001); // 1 ms past: stale
    expect(edges).toContain(0); // an entity timestamp equal to the row's event time: visible
  });

  it('passes entity columns and labels through, in input order', () => {
    expect(result.rows?.map((r) => r.entityRow)).toEqual(entityRows);
  });

  it('writes the same rows to Parquet and CSV, and reads entity tables from CSV and Parquet files', async () => {
    const parquet = join(dir, 'out', 'set.parquet');
    const csv = join(dir, 'out', 'set.csv');
    await store.getHistoricalFeatures({ entityRows, features, output: { kind: 'file', format: 'parquet', path: parquet } });
    await store.getHistoricalFeatures({ entityRows, features, output: { kind: 'file', format: 'csv', path: csv } });

    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      // Files are written unordered; (ids, timestamp) identifies a row.
      const fromParquet = await readBack(c, `SELECT * FROM read_parquet('${parquet}') ORDER BY event_timestamp, customer_id, merchant_id`);
      const key = (r: Record<string, unknown>) => [(r['event_timestamp'] as Date).getTime(), Number(r['customer_id']), Number(r['merchant_id'])];
      const want = flatten(result).sort((a, b) => key(a).reduce((d, x, i) => d || x - key(b)[i], 0));
      expect(fromParquet.length).toBe(want.length);
      expect(fromParquet).toEqual(want);
      // CSV carries text: read it with the Parquet file's column types (an empty string is written quoted,
      // NULL as nothing), then compare the two files.
      const types = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${parquet}')`)).getRows().map(([n, t]) => `'${String(n)}': '${String(t)}'`);
      const diff = await c.runAndReadAll(
        `SELECT count(*) FROM (SELECT * FROM read_csv('${csv}', header = true, allow_quoted_nulls = false, types = {${types.join(', ')}}) EXCEPT ALL SELECT * FROM read_parquet('${parquet}'))`,
      );
      expect(diff.getRows()[0][0]).toBe(0n);

      // The entity table itself, from files (in input order): the output is the same.
      const entitiesCsv = join(dir, 'entities.csv');
      const entitiesParquet = join(dir, 'entities.parquet');
      const lines = entityRows.map((r) => [r['customer_id'], r['merchant_id'], (r.event_timestamp as Date).toISOString(), r['label'], r['note'] ?? ''].join(','));
      writeFileSync(entitiesCsv, ['customer_id,merchant_id,event_timestamp,label,note', ...lines].join('\n'));
      await c.run(
        `COPY (SELECT CAST(customer_id AS BIGINT) AS customer_id, CAST(merchant_id AS BIGINT) AS merchant_id, CAST(event_timestamp AS TIMESTAMPTZ) AS event_timestamp, label, note ` +
          `FROM read_csv('${entitiesCsv}', header = true, types = {'customer_id': 'VARCHAR', 'merchant_id': 'VARCHAR', 'event_timestamp': 'VARCHAR'})) TO '${entitiesParquet}' (FORMAT parquet)`,
      );
      for (const path of [entitiesCsv, entitiesParquet]) {
        const fromFile = await store.getHistoricalFeatures({ entityTable: { path }, features, output: { kind: 'memory' } });
        expect(fromFile.rows?.map((r) => r.features)).toEqual(result.rows?.map((r) => r.features));
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});
