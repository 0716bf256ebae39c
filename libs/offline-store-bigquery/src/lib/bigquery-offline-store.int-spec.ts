import nock from 'nock';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { InvalidEntityTableError } from '@bnpl/offline-store';
import { InvalidHistoricalRequestError } from '@bnpl/offline-store';
import { InvalidOfflineRowError } from '@bnpl/offline-store';
import { OfflineStoreUnavailableError } from '@bnpl/offline-store';
import type { OfflineRow } from '@bnpl/offline-store';
import { BigQueryOfflineStore } from './bigquery-offline-store';
import { BigQueryHttp, bodyText, PROJECT, uploadMetadata, writeServiceAccountKey } from './bigquery-http.test-helpers';

/** Microseconds since the epoch, as BigQuery sends TIMESTAMPs with formatOptions.useInt64Timestamp. */
const us = (iso: string) => String(Date.parse(iso) * 1000);
const field = (name: string, type: string) => ({ name, type, mode: 'NULLABLE' });
/** jobs.insert (not the upload endpoint, whose path also ends in /jobs). */
const JOBS = /^\/bigquery\/v2\/projects\/[\w-]+\/jobs$/;

// The BigQuery adapter against recorded REST exchanges (no emulator exists): what it sends (tables, load
// jobs, SQL, parameters) and how it reads answers (types, nulls, timestamps, pages, errors).
describe('BigQueryOfflineStore over HTTP', () => {
  let http: BigQueryHttp;
  let store: BigQueryOfflineStore;

  const credentials = process.env['GOOGLE_APPLICATION_CREDENTIALS'];
  beforeAll(() => {
    process.env['GOOGLE_APPLICATION_CREDENTIALS'] = writeServiceAccountKey();
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    // Take nock's interceptor out again: it patches the builtins (net.Socket.prototype.connect, http.Agent),
    // which outlive this file in its jest worker. Left in place, every later suite of that worker connects
    // through fake sockets: a connect to a closed port "succeeds", and gRPC (HTTP/2) never reaches its server.
    nock.restore();
    if (credentials === undefined) delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    else process.env['GOOGLE_APPLICATION_CREDENTIALS'] = credentials;
  });
  beforeEach(() => {
    nock.cleanAll();
    http = new BigQueryHttp();
    store = new BigQueryOfflineStore({ client: http.client, dataset: 'features', trainingDataset: 'training', location: 'EU', catalog: bnplCatalog });
  });

  describe('writeFeatureRows', () => {
    const rows: OfflineRow[] = [
      { entityId: '42', eventTime: new Date('2025-03-01T00:00:00Z'), values: { active_plans_count: 2, outstanding_balance: { amountMinor: 12_000, currency: 'GBP' } } },
      { entityId: '9223372036854775807', eventTime: new Date('2025-03-02T00:00:00Z'), values: { utilization: 0.25 }, createdAt: new Date('2025-03-02T01:00:00Z') },
    ];

    it('creates the partitioned, clustered table, loads NDJSON into an expiring staging table and MERGEs it', async () => {
      http.expectTableInsert().expectTableInsert().expectLoadJob('load-1').expectQueryJob([{ jobComplete: false }, { jobComplete: true, numDmlAffectedRows: '2' }]).expectTableDelete();
      await expect(store.writeFeatureRows('customer_exposure', rows)).resolves.toEqual({ written: 2, skipped: 0 });
      http.done();

      const [target, staging] = http.sent('POST', /\/tables$/).map((r) => JSON.parse(r.body));
      expect(target.tableReference).toEqual({ projectId: PROJECT, datasetId: 'features', tableId: 'customer_exposure' });
      expect(target.timePartitioning).toEqual({ type: 'DAY', field: 'event_timestamp' });
      expect(target.clustering).toEqual({ fields: ['entity_id'] });
      expect(target.schema.fields).toEqual(expect.arrayContaining([
        { name: 'entity_id', type: 'INT64', mode: 'REQUIRED' },
        { name: 'outstanding_balance__amount_minor', type: 'INT64', mode: 'NULLABLE' },
        { name: 'outstanding_balance__currency', type: 'STRING', mode: 'NULLABLE' },
        { name: 'utilization', type: 'FLOAT64', mode: 'NULLABLE' },
      ]));
      expect(staging.tableReference.tableId).toMatch(/^_staging_customer_exposure_[0-9a-f]{32}$/);
      expect(Number(staging.expirationTime)).toBeGreaterThan(Date.now());

      const [upload] = http.sent('POST', /^\/upload\//);
      expect(upload.authorization).toBe('Bearer test-token');
      const load = (uploadMetadata(upload.body)['configuration'] as { load: Record<string, unknown> }).load;
      expect(load).toMatchObject({ sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND', destinationTable: { datasetId: 'features', tableId: staging.tableReference.tableId } });
      const lines = bodyText(upload.body).split(/\r?\n/).filter((l) => l.startsWith('{"seq"')).map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ seq: 0, entity_id: '42', event_timestamp: '2025-03-01T00:00:00.000Z', active_plans_count: 2, outstanding_balance__amount_minor: 12000, outstanding_balance__currency: 'GBP', utilization: null, credit_limit__amount_minor: null });
      expect(lines[1]).toMatchObject({ seq: 1, entity_id: '9223372036854775807', created_at: '2025-03-02T01:00:00.000Z', utilization: 0.25 });

      const merge = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query;
      expect(merge.useLegacySql).toBe(false);
      expect(merge.query).toMatch(/^MERGE `test-project\.features\.customer_exposure` AS t USING/);
      expect(merge.query).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY entity_id, event_timestamp ORDER BY created_at DESC, seq DESC) = 1');
      expect(merge.query).toContain('WHEN MATCHED AND s.created_at >= t.created_at THEN UPDATE SET');
      expect(merge.query).toContain('t.event_timestamp BETWEEN @min_event_timestamp AND @max_event_timestamp');
      expect(merge.parameterMode).toBe('named');
      expect(merge.queryParameters).toEqual(expect.arrayContaining([
        { name: 'min_event_timestamp', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: expect.stringMatching(/^2025-03-01[T ]00:00:00/) } },
        { name: 'max_event_timestamp', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: expect.stringMatching(/^2025-03-02[T ]00:00:00/) } },
      ]));
      expect(http.sent('DELETE', /\/tables\/_staging_customer_exposure_/)).toHaveLength(1);
    });

    it('reports rows MERGE left alone (an older createdAt than the stored row) as skipped; an existing table is kept', async () => {
      http.expectTableInsert(409).expectTableInsert().expectLoadJob('load-2').expectQueryJob([{ jobComplete: true, numDmlAffectedRows: '1' }]).expectTableDelete();
      await expect(store.writeFeatureRows('customer_exposure', rows)).resolves.toEqual({ written: 1, skipped: 1 });
      http.done();
    });

    it('checks every row before sending anything', async () => {
      const bad = [...rows, { entityId: '7', eventTime: new Date('2025-03-01T00:00:00Z'), values: { active_plans_count: 1.5 } }];
      await expect(store.writeFeatureRows('customer_exposure', bad)).rejects.toThrow(InvalidOfflineRowError);
      await expect(store.writeFeatureRows('customer_exposure', bad)).rejects.toThrow('Invalid row 2 for feature view "customer_exposure": feature "active_plans_count" must be INT64');
      expect(http.requests).toHaveLength(0);
    });

    it('drops the staging table when the MERGE fails, and reports the failure', async () => {
      http.expectTableInsert().expectTableInsert().expectLoadJob('load-3').expectQueryJob([], 400, { error: { code: 400, message: 'Query error: bad', status: 'INVALID_ARGUMENT' } }).expectTableDelete();
      const error = await store.writeFeatureRows('customer_exposure', rows).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OfflineStoreUnavailableError);
      expect((error as OfflineStoreUnavailableError).reason).toBe('OFFLINE_STORE_UNAVAILABLE');
      expect((error as Error).message).toContain('Query error: bad');
      http.done();
    });
  });

  describe('getHistoricalFeatures', () => {
    const request = {
      entityRows: [
        { customer_id: '42', event_timestamp: '2025-03-01T12:00:00Z', label: 1 },
        { customer_id: '43', event_timestamp: '2025-03-01T13:00:00+01:00', label: 0 },
        { customer_id: '44', event_timestamp: new Date('2025-03-02T00:00:00Z'), label: 1 },
      ],
      features: ['customer_exposure:outstanding_balance', 'customer_exposure:active_plans_count', 'customer_profile:country'],
    };
    const schema = {
      fields: [
        field('customer_id', 'INTEGER'), field('event_timestamp', 'TIMESTAMP'), field('label', 'INTEGER'),
        field('customer_exposure__event_timestamp', 'TIMESTAMP'),
        field('customer_exposure__outstanding_balance__amount_minor', 'INTEGER'), field('customer_exposure__outstanding_balance__currency', 'STRING'), field('customer_exposure__outstanding_balance__status', 'STRING'),
        field('customer_exposure__active_plans_count', 'INTEGER'), field('customer_exposure__active_plans_count__status', 'STRING'),
        field('customer_profile__event_timestamp', 'TIMESTAMP'), field('customer_profile__country', 'STRING'), field('customer_profile__country__status', 'STRING'),
      ],
    };
    const row = (...v: Array<string | null>) => ({ f: v.map((x) => ({ v: x })) });

    it('uploads the checked entity table as Parquet, runs one parameterised query and decodes the pages', async () => {
      http.expectTableInsert(409).expectTableInsert(409).expectTableInsert().expectLoadJob('load-e').expectQueryJob([
        { jobComplete: true, schema, totalRows: '3', pageToken: 'page-2', rows: [
          row('42', us('2025-03-01T12:00:00Z'), '1', us('2025-03-01T11:00:00Z'), '12000', 'GBP', 'PRESENT', '0', 'DEFAULT', null, 'ZZ', 'MISSING'),
          row('43', us('2025-03-01T12:00:00Z'), '0', us('2025-03-01T10:00:00Z'), '0', 'XXX', 'STALE', '0', 'STALE', us('2025-02-28T12:00:00Z'), 'GB', 'PRESENT'),
        ] },
        { jobComplete: true, schema, totalRows: '3', rows: [row('44', us('2025-03-02T00:00:00Z'), '1', null, '0', 'XXX', 'MISSING', '0', 'MISSING', null, 'ZZ', 'MISSING')] },
      ]).expectTableDelete();

      const result = await store.getHistoricalFeatures({ ...request, output: { kind: 'memory' } });
      http.done();

      const staging = JSON.parse(http.sent('POST', /\/tables$/)[2].body);
      expect(staging.tableReference.tableId).toMatch(/^_entities_[0-9a-f]{32}$/);
      expect(staging.schema.fields).toEqual([
        { name: '__row', type: 'INT64' }, { name: 'customer_id', type: 'INT64' }, { name: 'event_timestamp', type: 'TIMESTAMP' }, { name: 'label', type: 'INT64' },
      ]);
      const load = (uploadMetadata(http.sent('POST', /^\/upload\//)[0].body)['configuration'] as { load: Record<string, unknown> }).load;
      expect(load).toMatchObject({ sourceFormat: 'PARQUET', destinationTable: { tableId: staging.tableReference.tableId } });

      const query = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query;
      const sql: string = query.query;
      expect(sql).toContain(`FROM \`test-project.features.${staging.tableReference.tableId}\` AS e JOIN \`test-project.features.customer_exposure\` AS f ON f.entity_id = e.\`customer_id\` AND f.event_timestamp <= e.event_timestamp`);
      expect(sql).toContain('WHERE f.event_timestamp <= @max_event_timestamp QUALIFY ROW_NUMBER() OVER (PARTITION BY e.__row ORDER BY f.event_timestamp DESC, f.created_at DESC) = 1');
      expect(sql).toContain('IF((TIMESTAMP_DIFF(e.event_timestamp, v0.event_timestamp, MICROSECOND) <= @ttl_us_0) AND v0.`outstanding_balance__amount_minor` IS NOT NULL');
      expect(sql).toMatch(/ORDER BY e\.__row$/);
      expect(sql).not.toMatch(/'GBP'|'ZZ'|3600/); // defaults and TTLs travel as parameters
      const params = Object.fromEntries((query.queryParameters as Array<{ name: string; parameterType: { type: string }; parameterValue: { value: unknown } }>).map((p) => [p.name, [p.parameterType.type, p.parameterValue.value]]));
      expect(params).toMatchObject({
        ttl_us_0: ['INT64', 3_600_000_000],
        ttl_us_1: ['INT64', 86_400_000_000],
        default_0: ['INT64', 0],
        default_1: ['STRING', 'XXX'],
        default_2: ['INT64', 0],
        default_3: ['STRING', 'ZZ'],
        max_event_timestamp: ['TIMESTAMP', expect.stringMatching(/^2025-03-02[T ]00:00:00/)],
      });
      expect(http.sent('GET', /\/queries\//)[1].url.searchParams.get('pageToken')).toBe('page-2');

      expect(result.featureNames).toEqual(request.features);
      expect(result.rowCount).toBe(3);
      expect(result.rows?.map((r) => r.entityRow)).toEqual([
        { customer_id: '42', event_timestamp: new Date('2025-03-01T12:00:00Z'), label: 1 },
        { customer_id: '43', event_timestamp: new Date('2025-03-01T12:00:00Z'), label: 0 },
        { customer_id: '44', event_timestamp: new Date('2025-03-02T00:00:00Z'), label: 1 },
      ]);
      expect(result.rows?.[0].features).toEqual([
        { value: { amountMinor: 12000, currency: 'GBP' }, status: 'PRESENT', eventTime: new Date('2025-03-01T11:00:00Z') },
        { value: 0, status: 'DEFAULT', eventTime: new Date('2025-03-01T11:00:00Z') },
        { value: 'ZZ', status: 'MISSING', eventTime: null },
      ]);
      expect(result.rows?.[1].features[2]).toEqual({ value: 'GB', status: 'PRESENT', eventTime: new Date('2025-02-28T12:00:00Z') });
      expect(result.rows?.[2].features.map((f) => f.status)).toEqual(['MISSING', 'MISSING', 'MISSING']);
    });

    it('writes a table output to the training dataset, replacing it, without sorting the result', async () => {
      http.expectTableInsert(409).expectTableInsert(409).expectTableInsert().expectLoadJob('load-t').expectQueryJob([{ jobComplete: true }]).expectTableDelete();
      const result = await store.getHistoricalFeatures({ ...request, output: { kind: 'table', name: 'march_set' } });
      http.done();
      const query = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query;
      expect(query.destinationTable).toEqual({ projectId: PROJECT, datasetId: 'training', tableId: 'march_set' });
      expect(query.writeDisposition).toBe('WRITE_TRUNCATE');
      expect(query.query).not.toContain('ORDER BY e.__row');
      expect(result.rowCount).toBe(3);
      expect(result.rows).toBeUndefined();
    });

    it('exports a file output to Cloud Storage with EXPORT DATA', async () => {
      http.expectTableInsert(409).expectTableInsert(409).expectTableInsert().expectLoadJob('load-f').expectQueryJob([{ jobComplete: true }]).expectTableDelete();
      await store.getHistoricalFeatures({ ...request, output: { kind: 'file', format: 'csv', path: 'gs://bnpl-training/march/set-*.csv' } });
      http.done();
      const sql: string = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query.query;
      expect(sql).toMatch(/^EXPORT DATA OPTIONS \(uri = 'gs:\/\/bnpl-training\/march\/set-\*\.csv', format = 'CSV', overwrite = true, header = true\) AS WITH /);
    });

    it('exports without replacing what is there when asked not to (overwrite = false)', async () => {
      http.expectTableInsert(409).expectTableInsert(409).expectTableInsert().expectLoadJob('load-g').expectQueryJob([{ jobComplete: true }]).expectTableDelete();
      await store.getHistoricalFeatures({ ...request, output: { kind: 'file', format: 'parquet', path: 'gs://bnpl-training/march/set-*.parquet', overwrite: false } });
      http.done();
      const sql: string = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query.query;
      expect(sql).toMatch(/^EXPORT DATA OPTIONS \(uri = 'gs:\/\/bnpl-training\/march\/set-\*\.parquet', format = 'PARQUET', overwrite = false\) AS WITH /);
    });

    it('rejects bad input before any request', async () => {
      await expect(store.getHistoricalFeatures({ ...request, output: { kind: 'file', format: 'parquet', path: '/tmp/set.parquet' } })).rejects.toThrow(InvalidHistoricalRequestError);
      await expect(store.getHistoricalFeatures({ ...request, entityRows: [request.entityRows[0], request.entityRows[0]], output: { kind: 'memory' } })).rejects.toThrow(InvalidEntityTableError);
      await expect(store.getHistoricalFeatures({ ...request, entityRows: [{ customer_id: '1', event_timestamp: '2025-03-01 10:00' }], output: { kind: 'memory' } })).rejects.toThrow(
        'Entity row 0: event_timestamp "2025-03-01 10:00" has no UTC offset',
      );
      expect(http.requests).toHaveLength(0);
    });
  });

  describe('readLatestRows', () => {
    it('reads the latest row per entity in one query pruned by clustering, null for an entity without history', async () => {
      const fields = [field('entity_id', 'STRING'), field('event_timestamp', 'TIMESTAMP'), field('account_age_days', 'INTEGER'), field('kyc_level', 'INTEGER'), field('country', 'STRING'), field('account_status', 'STRING')];
      http.expectTableInsert(409).expectQueryJob([{ jobComplete: true, schema: { fields }, totalRows: '1', rows: [{ f: [{ v: '42' }, { v: us('2025-03-02T10:00:00Z') }, { v: '30' }, { v: null }, { v: 'DE' }, { v: null }] }] }]);
      expect(await store.readLatestRows('customer_profile', ['42', '7'])).toEqual([
        { eventTime: new Date('2025-03-02T10:00:00Z'), values: { account_age_days: 30, kyc_level: null, country: 'DE', account_status: null } },
        null,
      ]);
      http.done();
      const sql: string = JSON.parse(http.sent('POST', JOBS)[0].body).configuration.query.query;
      expect(sql).toContain('FROM `test-project.features.customer_profile` WHERE entity_id IN UNNEST([42, 7]) QUALIFY ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY event_timestamp DESC, created_at DESC) = 1');
      await expect(store.readLatestRows('customer_profile', ['007'])).rejects.toMatchObject({ reason: 'INVALID_ENTITY_ID' });
    });
  });
});
