import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { UnknownFeatureError, UnknownFeatureServiceError, UnknownFeatureViewError } from '@bnpl/feature-definitions';
import { InvalidEntityTableError } from '@bnpl/offline-store';
import { InvalidHistoricalRequestError } from '@bnpl/offline-store';
import { InvalidOfflineRowError } from '@bnpl/offline-store';
import { OfflineStoreUnavailableError } from '@bnpl/offline-store';
import { MAX_IN_MEMORY_ENTITY_ROWS, type EntityRowInput, type HistoricalFeaturesRequest, type HistoricalOutput, type OfflineRow } from '@bnpl/offline-store';
import { testCatalog, testCatalogWithNewFeature } from '@bnpl/offline-store';
import { DuckDBOfflineStore } from './duckdb-offline-store';

const t = (iso: string) => new Date(iso);
const memory: HistoricalOutput = { kind: 'memory' };

/** Rows of a DuckDB file, opened after the store closed it (a file has one owner process at a time). */
async function queryFile(path: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(path);
  try {
    const c = await instance.connect();
    const rows = (await c.runAndReadAll(sql)).getRowsJS();
    c.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

describe('DuckDBOfflineStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offline-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('rejects bad input before any work, naming the problem', () => {
    let store: DuckDBOfflineStore;
    beforeAll(async () => {
      store = await DuckDBOfflineStore.open({ path: ':memory:', catalog: testCatalog });
      await store.writeFeatureRows('customer_flags', [{ entityId: '1', eventTime: t('2025-03-01T00:00:00Z'), values: { is_vip: true } }]);
    });
    afterAll(() => store.close());

    const ask = (over: Partial<HistoricalFeaturesRequest>) =>
      store.getHistoricalFeatures({ entityRows: [{ customer_id: '1', event_timestamp: '2025-03-01T00:00:30Z' }], features: ['customer_flags:*'], output: memory, ...over });
    const rows = (...entityRows: EntityRowInput[]) => ask({ entityRows });
    const fails = async (promise: Promise<unknown>, type: new (...args: never[]) => Error, message: string | RegExp) => {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      return error as Error & { reason: string; location?: { rowIndex?: number; column?: string } };
    };

    it('feature selection: unknown view, feature, service; request-time features; not exactly one of features/service', async () => {
      expect((await fails(ask({ features: ['nope:*'] }), UnknownFeatureViewError, 'Unknown feature view "nope"')).reason).toBe('UNKNOWN_FEATURE_VIEW');
      expect((await fails(ask({ features: ['customer_flags:nope'] }), UnknownFeatureError, 'customer_flags:nope')).reason).toBe('UNKNOWN_FEATURE');
      await fails(ask({ features: undefined, featureService: 'nope_v1' }), UnknownFeatureServiceError, 'nope_v1');
      await fails(ask({ features: ['credit_request:exposure_after_order'] }), UnknownFeatureViewError, 'request-time');
      await fails(ask({ featureService: 'credit_decision_v1' }), InvalidHistoricalRequestError, 'exactly one of "features"');
      await fails(ask({ features: undefined }), InvalidHistoricalRequestError, 'exactly one of "features"');
      await fails(ask({ features: [] }), InvalidHistoricalRequestError, 'non-empty list');
    });

    it('entity source: not exactly one of rows/table, no rows, not objects', async () => {
      await fails(ask({ entityTable: { path: '/tmp/x.csv' } }), InvalidHistoricalRequestError, 'exactly one of "entityRows" and "entityTable"');
      await fails(ask({ entityRows: undefined }), InvalidHistoricalRequestError, 'exactly one of "entityRows" and "entityTable"');
      await fails(rows(), InvalidEntityTableError, 'no rows');
      await fails(ask({ entityRows: [null as unknown as EntityRowInput] }), InvalidEntityTableError, 'Entity row 0: expected an object');
    });

    it('missing columns: absent from the table, or from one row', async () => {
      const e = await fails(rows({ event_timestamp: '2025-03-01T00:00:00Z' }), InvalidEntityTableError, 'Entity row 0: customer_id is missing');
      expect(e.reason).toBe('INVALID_ENTITY_TABLE');
      expect(e.location).toEqual({ rowIndex: 0, column: 'customer_id' });
      await fails(ask({ features: ['merchant_risk:*'], entityRows: [{ merchant_id: '1', event_timestamp: '2025-03-01T00:00:00Z' }, { event_timestamp: '2025-03-01T00:00:00Z' }] }), InvalidEntityTableError, 'Entity row 1: merchant_id is missing');
      await fails(rows({ customer_id: '1' } as unknown as EntityRowInput), InvalidEntityTableError, 'Entity row 0: event_timestamp is missing');
    });

    it.each([
      ['0042', 'is not a positive integer'],
      ['-1', 'is not a positive integer'],
      ['1.5', 'is not a positive integer'],
      ['abc', 'is not a positive integer'],
      ['9223372036854775808', 'is not a positive integer'],
    ])('ids: %s', async (id, message) => {
      const e = await fails(rows({ customer_id: '1', event_timestamp: '2025-03-01T00:00:00Z' }, { customer_id: id, event_timestamp: '2025-03-01T00:00:00Z' }), InvalidEntityTableError, `Entity row 1: customer_id "${id}" ${message}`);
      expect(e.location).toEqual({ rowIndex: 1, column: 'customer_id' });
    });

    it.each([
      ['2025-03-01 10:00:00', 'has no UTC offset'],
      ['2025-03-01T10:00', 'has no UTC offset'],
      ['2025-03-01', 'has no UTC offset'],
      ['yesterday', 'is not an ISO 8601 timestamp'],
      ['2025-02-30T00:00:00Z', 'is not an ISO 8601 timestamp'],
      ['2025-03-01T25:00:00Z', 'is not an ISO 8601 timestamp'],
      ['10000-01-01T00:00:00Z', 'is not an ISO 8601 timestamp'],
      ['0000-12-31T00:00:00Z', 'is outside years 1 to 9999'],
    ])('timestamps: %s', async (ts, message) => {
      const e = await fails(rows({ customer_id: '1', event_timestamp: ts }), InvalidEntityTableError, `Entity row 0: event_timestamp "${ts}" ${message}`);
      expect(e.location).toEqual({ rowIndex: 0, column: 'event_timestamp' });
    });

    it('timestamps: an invalid Date, a value of the wrong type', async () => {
      await fails(rows({ customer_id: '1', event_timestamp: new Date(Number.NaN) }), InvalidEntityTableError, 'Entity row 0: event_timestamp is an invalid Date');
      await fails(rows({ customer_id: '1', event_timestamp: true as unknown as string }), InvalidEntityTableError, 'Entity row 0: event_timestamp true (boolean) has the wrong type');
    });

    it('duplicates: the same ids and instant twice (also when written with different offsets)', async () => {
      const e = await fails(
        rows(
          { customer_id: '1', event_timestamp: '2025-03-01T10:00:00Z' },
          { customer_id: '2', event_timestamp: '2025-03-01T10:00:00Z' },
          { customer_id: '1', event_timestamp: '2025-03-01T11:00:00+01:00' },
        ),
        InvalidEntityTableError,
        'Entity rows 0 and 2 have the same customer_id, event_timestamp',
      );
      expect(e.location).toEqual({ rowIndex: 2 });
    });

    it('labels: names that clash with output columns or are not identifiers, mixed types', async () => {
      const row = { customer_id: '1', event_timestamp: '2025-03-01T10:00:00Z' };
      await fails(rows({ ...row, customer_flags__is_vip: 1 }), InvalidEntityTableError, 'column "customer_flags__is_vip" clashes with an output column');
      await fails(rows({ ...row, Event_Timestamp: 'x' }), InvalidEntityTableError, 'column "Event_Timestamp" clashes');
      await fails(rows({ ...row, 'my label': 1 }), InvalidEntityTableError, 'column "my label": names are letters, digits and _');
      await fails(rows({ ...row, __row: 1 }), InvalidEntityTableError, 'column "__row"');
      await fails(rows({ ...row, outcome: 1 }, { customer_id: '2', event_timestamp: '2025-03-01T10:00:00Z', outcome: 'yes' }), InvalidEntityTableError, 'Entity row 1: label outcome "yes" (string) does not match');
    });

    it('entity files: unreadable, missing a column, a bad row, a zone-less timestamp type, an unknown format', async () => {
      const csv = (name: string, text: string) => {
        const path = join(dir, name);
        writeFileSync(path, text);
        return path;
      };
      await fails(ask({ entityRows: undefined, entityTable: { path: join(dir, 'absent.csv') } }), InvalidEntityTableError, 'cannot be read');
      await fails(ask({ entityRows: undefined, entityTable: { path: csv('no-ts.csv', 'customer_id,label\n1,0\n') } }), InvalidEntityTableError, 'has no column event_timestamp');
      const bad = await fails(
        ask({ entityRows: undefined, entityTable: { path: csv('bad-ts.csv', 'customer_id,event_timestamp,label\n1,2025-03-01T00:00:00Z,0\n2,2025-03-01 00:00:00,1\n') } }),
        InvalidEntityTableError,
        'Entity row 1: event_timestamp "2025-03-01 00:00:00" has no UTC offset',
      );
      expect(bad.location).toEqual({ rowIndex: 1, column: 'event_timestamp' });
      await fails(ask({ entityRows: undefined, entityTable: { path: csv('bad-id.csv', 'customer_id,event_timestamp\n01,2025-03-01T00:00:00Z\n') } }), InvalidEntityTableError, 'Entity row 0: customer_id "01" is not a positive integer');
      // Rows are numbered by their place in the file, also deep into a file DuckDB reads in parallel, and
      // also when a column of the file is called rowid (which hides DuckDB's own row number).
      const many = Array.from({ length: 600_000 }, (_, i) => `${i + 1},${i === 543_210 ? '2025-03-01' : '2025-03-01T00:00:00Z'},${i % 7}`);
      const deep = await fails(
        ask({ entityRows: undefined, entityTable: { path: csv('deep.csv', ['customer_id,event_timestamp,label', ...many].join('\n')) } }),
        InvalidEntityTableError,
        'Entity row 543210: event_timestamp "2025-03-01" has no UTC offset',
      );
      expect(deep.location).toEqual({ rowIndex: 543_210, column: 'event_timestamp' });
      const named = await fails(
        ask({ entityRows: undefined, entityTable: { path: csv('rowid.csv', 'customer_id,event_timestamp,rowid\n1,2025-03-01T00:00:00Z,7\n2,2025-03-01T00:00:00,7\n') } }),
        InvalidEntityTableError,
        'Entity row 1: event_timestamp',
      );
      expect(named.location).toEqual({ rowIndex: 1, column: 'event_timestamp' });
      const withRowid = await ask({ entityRows: undefined, entityTable: { path: csv('rowid-ok.csv', 'customer_id,event_timestamp,RowId\n2,2025-03-01T00:00:40Z,8\n1,2025-03-01T00:00:30Z,7\n') } });
      expect(withRowid.rows?.map((r) => [r.entityRow['customer_id'], r.entityRow['RowId']])).toEqual([['2', 8], ['1', 7]]);
      // A label that DuckDB's sniffer (which samples the first 20,480 rows) took for an integer, then is not.
      const rows = Array.from({ length: 30_000 }, (_, i) => `${i + 1},2025-03-01T00:00:00Z,${i === 29_999 ? 'x' : 1}`);
      await fails(ask({ entityRows: undefined, entityTable: { path: csv('late-text.csv', ['customer_id,event_timestamp,label', ...rows].join('\n')) } }), InvalidEntityTableError, 'late-text.csv cannot be read');
      const naive = join(dir, 'naive.parquet');
      await queryFile(':memory:', `COPY (SELECT 1 AS customer_id, TIMESTAMP '2025-03-01 00:00:00' AS event_timestamp) TO '${naive}' (FORMAT parquet)`);
      await fails(ask({ entityRows: undefined, entityTable: { path: naive } }), InvalidEntityTableError, 'column event_timestamp has type TIMESTAMP (a timestamp without time zone');
      await fails(ask({ entityRows: undefined, entityTable: { path: csv('entities.txt', '') } }), InvalidHistoricalRequestError, 'give its format');
    });

    it('outputs: unknown kind or format, a remote path, a bad table name, too many rows for memory', async () => {
      await fails(ask({ output: { kind: 'stdout' } as unknown as HistoricalOutput }), InvalidHistoricalRequestError, 'unknown kind "stdout"');
      await fails(ask({ output: { kind: 'file', format: 'json', path: join(dir, 'x.json') } as unknown as HistoricalOutput }), InvalidHistoricalRequestError, 'file format "json"');
      await fails(ask({ output: { kind: 'file', format: 'parquet', path: 'gs://bucket/x-*.parquet' } }), InvalidHistoricalRequestError, 'local files only');
      await fails(ask({ output: { kind: 'table', name: 'Bad Name' } }), InvalidHistoricalRequestError, 'lower_snake_case');
      // An existing file is replaced only when the request does not say otherwise.
      const kept = join(dir, 'kept.csv');
      writeFileSync(kept, 'keep me\n');
      await fails(ask({ output: { kind: 'file', format: 'csv', path: kept, overwrite: false } }), InvalidHistoricalRequestError, 'exists (ask to overwrite it)');
      expect(readFileSync(kept, 'utf8')).toBe('keep me\n');
      const many = Array.from({ length: MAX_IN_MEMORY_ENTITY_ROWS + 1 }, (_, i) => ({ customer_id: String(i + 1), event_timestamp: '2025-03-01T00:00:00Z' }));
      await fails(rows(...many), InvalidHistoricalRequestError, 'more than a memory output holds');
    });

    it('writes no output file when the input is bad', async () => {
      const path = join(dir, 'never.parquet');
      await fails(ask({ entityRows: [{ customer_id: 'x', event_timestamp: '2025-03-01T00:00:00Z' }], output: { kind: 'file', format: 'parquet', path } }), InvalidEntityTableError, 'customer_id "x"');
      expect(existsSync(path)).toBe(false);
    });

    it('rows to write: unknown view, then each row checked, nothing stored when one is bad', async () => {
      await fails(store.writeFeatureRows('nope', []), UnknownFeatureViewError, 'nope');
      await fails(store.writeFeatureRows('credit_request', []), UnknownFeatureViewError, 'request-time');
      const good: OfflineRow = { entityId: '5', eventTime: t('2025-03-01T00:00:00Z'), values: { is_vip: true } };
      const cases: Array<[Partial<OfflineRow> | Record<string, unknown>, string]> = [
        [{ entityId: '05' }, 'entityId "05" (string) is not a canonical customer id'],
        [{ entityId: 5 }, 'entityId 5 (number) is not a canonical customer id'],
        [{ eventTime: '2025-03-01T00:00:00Z' }, 'eventTime "2025-03-01T00:00:00Z" (string) is not a Date'],
        [{ eventTime: new Date(Number.NaN) }, 'eventTime Invalid Date is not a Date between years 1 and 9999'],
        [{ eventTime: new Date('+010000-01-01T00:00:00Z') }, 'eventTime +010000-01-01T00:00:00.000Z is not a Date between years 1 and 9999'],
        [{ createdAt: new Date(Number.NaN) }, 'createdAt Invalid Date is not a Date'],
        [{ values: { nope: 1 } }, 'unknown feature "nope"'],
        [{ values: { is_vip: 'yes' } }, 'feature "is_vip" must be BOOL or null, got "yes" (string)'],
        [{ values: null }, 'values must be an object'],
      ];
      for (const [change, message] of cases) {
        async function* batches() {
          yield [good];
          yield [good, { ...good, ...change } as OfflineRow];
        }
        const e = await fails(store.writeFeatureRows('customer_flags', batches()), InvalidOfflineRowError, `Invalid row 2 for feature view "customer_flags": ${message}`);
        expect(e.reason).toBe('INVALID_OFFLINE_ROW');
      }
      await fails(store.writeFeatureRows('customer_exposure', [{ ...good, values: { active_plans_count: 1.5 } }]), InvalidOfflineRowError, 'must be INT64');
      await fails(store.writeFeatureRows('customer_exposure', [{ ...good, values: { credit_limit: { amountMinor: 1, currency: 'gbp' } } }]), InvalidOfflineRowError, 'must be MONEY');
      await fails(store.writeFeatureRows('customer_exposure', [{ ...good, values: { utilization: Number.NaN } }]), InvalidOfflineRowError, 'must be DOUBLE');
      const after = await store.getHistoricalFeatures({ entityRows: [{ customer_id: '5', event_timestamp: '2025-03-01T00:00:00Z' }], features: ['customer_flags:is_vip'], output: memory });
      expect(after.rows?.[0].features[0].status).toBe('MISSING'); // the good rows of the failed calls were not stored
    });
  });

  describe('storage', () => {
    it('is idempotent per (view, entity, event time): a re-run replaces, nothing is duplicated', async () => {
      const path = join(dir, 'idempotent.duckdb');
      const store = await DuckDBOfflineStore.open({ path, catalog: testCatalog });
      const rows = Array.from({ length: 5000 }, (_, i): OfflineRow => ({ entityId: String(1 + (i % 1000)), eventTime: t(`2025-03-0${1 + Math.floor(i / 1000)}T00:00:00Z`), values: { is_vip: i % 2 === 0 } }));
      await expect(store.writeFeatureRows('customer_flags', rows)).resolves.toEqual({ written: 5000, skipped: 0 });
      const rerun = rows.map((r) => ({ ...r, values: { is_vip: !r.values['is_vip'] } }));
      await expect(store.writeFeatureRows('customer_flags', rerun)).resolves.toEqual({ written: 5000, skipped: 0 });
      const got = await store.getHistoricalFeatures({ entityRows: [{ customer_id: '2', event_timestamp: '2025-03-01T00:00:30Z' }], features: ['customer_flags:is_vip'], output: memory });
      expect(got.rows?.[0].features[0]).toEqual({ value: true, status: 'PRESENT', eventTime: t('2025-03-01T00:00:00Z') }); // row 1 was false, its re-run true
      await store.close();
      expect(await queryFile(path, 'SELECT count(*), count(DISTINCT (entity_id, event_timestamp)) FROM features.customer_flags')).toEqual([[5000n, 5000n]]);
    });

    it("keeps each row's successor time through appends, rows written into the middle, replacements and other entities", async () => {
      const path = join(dir, 'valid-until.duckdb');
      const store = await DuckDBOfflineStore.open({ path, catalog: testCatalog });
      const at = (second: number) => t(`2025-03-01T00:00:0${second}Z`); // within the view's 60 s TTL
      const write = (entityId: string, second: number, isVip: boolean) => store.writeFeatureRows('customer_flags', [{ entityId, eventTime: at(second), values: { is_vip: isVip } }]);
      await write('1', 1, true);
      await write('1', 5, false); // an append: second 1 now ends at second 5
      await write('1', 3, true); // into the middle: second 1 ends at 3, second 3 at 5
      await write('1', 3, false); // a replacement of the same instant changes no successor
      await write('2', 2, true); // another entity's row touches none of entity 1's
      const asOf = (second: number) => store.getHistoricalFeatures({ entityRows: [{ customer_id: '1', event_timestamp: `2025-03-01T00:00:0${second}.5Z` }], features: ['customer_flags:is_vip'], output: memory });
      expect((await asOf(2)).rows?.[0].features[0]).toMatchObject({ value: true, eventTime: at(1) });
      expect((await asOf(4)).rows?.[0].features[0]).toMatchObject({ value: false, eventTime: at(3) });
      expect((await asOf(6)).rows?.[0].features[0]).toMatchObject({ value: false, eventTime: at(5) });
      expect((await asOf(0)).rows?.[0].features[0]).toMatchObject({ status: 'MISSING' });
      await store.close();
      const rows = await queryFile(path, "SELECT entity_id, strftime(event_timestamp, '%S'), CASE WHEN isinf(valid_until) THEN 'latest' ELSE strftime(valid_until, '%S') END FROM features.customer_flags ORDER BY ALL");
      expect(rows).toEqual([
        [1n, '01', '03'],
        [1n, '03', '05'],
        [1n, '05', 'latest'],
        [2n, '02', 'latest'],
      ]);
    });

    it("fills the successor times of a file written before they were kept, and answers from them", async () => {
      const path = join(dir, 'before-valid-until.duckdb');
      const instance = await DuckDBInstance.create(path);
      const c = await instance.connect();
      await c.run("CREATE SCHEMA features; CREATE TABLE features.customer_flags (entity_id BIGINT, event_timestamp TIMESTAMPTZ, created_at TIMESTAMPTZ, is_vip BOOLEAN)");
      await c.run("INSERT INTO features.customer_flags VALUES (1, '2025-03-01 00:00:00+00', '2025-03-01 00:00:00+00', true), (1, '2025-03-03 00:00:00+00', '2025-03-03 00:00:00+00', false), (2, '2025-03-02 00:00:00+00', '2025-03-02 00:00:00+00', true)");
      c.closeSync();
      instance.closeSync();
      const store = await DuckDBOfflineStore.open({ path, catalog: testCatalog });
      const got = await store.getHistoricalFeatures({
        entityRows: [
          { customer_id: '1', event_timestamp: '2025-03-02T00:00:00Z' },
          { customer_id: '1', event_timestamp: '2025-03-04T00:00:00Z' },
        ],
        features: ['customer_flags:is_vip'],
        output: memory,
      });
      expect(got.rows?.map((r) => r.features[0].eventTime)).toEqual([t('2025-03-01T00:00:00Z'), t('2025-03-03T00:00:00Z')]);
      await store.close();
      expect(await queryFile(path, 'SELECT count(*) FILTER (WHERE valid_until IS NULL), count(*) FILTER (WHERE isinf(valid_until)) FROM features.customer_flags')).toEqual([[0n, 2n]]);
    });

    it('serialises concurrent writes to a view, runs writes to other views alongside, closes after calls in flight', async () => {
      const store = await DuckDBOfflineStore.open({ path: ':memory:', catalog: testCatalog });
      const at = (i: number) => t(`2025-03-01T00:00:0${i}Z`);
      const results = await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => store.writeFeatureRows('customer_flags', [{ entityId: '1', eventTime: at(i), values: { is_vip: true } }])),
        store.writeFeatureRows('customer_profile', [{ entityId: '1', eventTime: at(0), values: { kyc_level: 2 } }]),
        store.writeFeatureRows('merchant_risk', [{ entityId: '1', eventTime: at(0), values: { merchant_category: 'books' } }]),
      ]);
      expect(results.every((r) => r.written === 1)).toBe(true);
      // Closing waits for the calls in flight rather than closing the database under them.
      const inFlight = store.getHistoricalFeatures({ entityRows: [{ customer_id: '1', event_timestamp: at(9) }], features: ['customer_flags:is_vip'], output: memory });
      await store.close();
      await expect(inFlight).resolves.toMatchObject({ rowCount: 1 });
    });

    it('writes a table output; adds the columns of features added to a view; refuses calls once closed', async () => {
      const path = join(dir, 'evolve.duckdb');
      const first = await DuckDBOfflineStore.open({ path, catalog: testCatalog });
      await first.writeFeatureRows('customer_flags', [{ entityId: '1', eventTime: t('2025-03-01T00:00:00Z'), values: { is_vip: true } }]);
      await first.close();
      await expect(first.ping()).rejects.toThrow(OfflineStoreUnavailableError);

      const second = await DuckDBOfflineStore.open({ path, catalog: testCatalogWithNewFeature });
      await second.ping();
      const result = await second.getHistoricalFeatures({
        entityRows: [{ customer_id: '1', event_timestamp: '2025-03-01T00:00:10Z', label: 1 }],
        features: ['customer_flags:*'],
        output: { kind: 'table', name: 'flags_set' },
      });
      expect(result).toMatchObject({ rowCount: 1, featureNames: ['customer_flags:is_vip', 'customer_flags:tier'] });
      await second.close();
      const [row] = await queryFile(path, 'SELECT customer_id, label, customer_flags__is_vip, customer_flags__is_vip__status, customer_flags__tier, customer_flags__tier__status FROM training_sets.flags_set');
      expect(row).toEqual([1n, 1n, true, 'PRESENT', 'none', 'DEFAULT']);
    });

    it('retrieves a feature service: stored features, request-time ones listed as omitted', async () => {
      const store = await DuckDBOfflineStore.open({ path: ':memory:', catalog: testCatalog });
      const result = await store.getHistoricalFeatures({
        entityRows: [{ customer_id: '1', merchant_id: '2', event_timestamp: '2025-03-01T00:00:00Z' }],
        featureService: 'credit_decision_v1',
        output: memory,
      });
      expect(result.omittedRequestFeatures).toEqual(['credit_request:requested_amount_to_avg_order_ratio', 'credit_request:exposure_after_order']);
      expect(result.featureNames).toContain('merchant_risk:merchant_category');
      expect(result.rows?.[0].features.every((f) => f.status === 'MISSING')).toBe(true);
      await store.close();
    });
  });
});
