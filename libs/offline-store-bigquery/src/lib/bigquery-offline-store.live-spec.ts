import { randomUUID } from 'node:crypto';
import { BigQuery, type Dataset } from '@google-cloud/bigquery';
import { testCatalog } from '@bnpl/offline-store';
import { BigQueryOfflineStore } from './bigquery-offline-store';

// Against real BigQuery: not in any default suite (its name matches no jest testMatch); run it on purpose
// with credentials (see the lib README). Without them it fails rather than passing or skipping quietly.
// eslint-disable-next-line no-restricted-syntax -- a live suite is configured by its environment, like the client's credentials
const { GOOGLE_APPLICATION_CREDENTIALS: credentials, BIGQUERY_PROJECT: project, BIGQUERY_LOCATION: location = 'EU' } = process.env;
const t = (iso: string) => new Date(iso);

describe('BigQueryOfflineStore (live)', () => {
  let dataset: Dataset;
  let store: BigQueryOfflineStore;

  beforeAll(async () => {
    if (!credentials || !project) throw new Error('Set GOOGLE_APPLICATION_CREDENTIALS and BIGQUERY_PROJECT to run the live BigQuery suite');
    const client = new BigQuery({ projectId: project, location });
    [dataset] = await client.createDataset(`offline_store_live_${randomUUID().replace(/-/g, '')}`, { location });
    store = new BigQueryOfflineStore({ client, dataset: dataset.id as string, location, catalog: testCatalog });
  }, 60_000);

  afterAll(async () => {
    await dataset?.delete({ force: true });
  }, 60_000);

  it('writes history idempotently and reads it back point in time', async () => {
    const rows = [
      { entityId: '1', eventTime: t('2025-03-01T00:00:00Z'), values: { is_vip: true } },
      { entityId: '1', eventTime: t('2025-03-01T00:02:00Z'), values: { is_vip: null } },
      { entityId: '2', eventTime: t('2025-03-01T00:00:00Z'), values: { is_vip: false } },
    ];
    await expect(store.writeFeatureRows('customer_flags', rows)).resolves.toEqual({ written: 3, skipped: 0 });
    await expect(store.writeFeatureRows('customer_flags', rows)).resolves.toEqual({ written: 3, skipped: 0 }); // replaced, not added
    await expect(store.writeFeatureRows('customer_flags', rows.map((r) => ({ ...r, createdAt: t('2025-01-01T00:00:00Z') })))).resolves.toEqual({ written: 0, skipped: 3 });

    const result = await store.getHistoricalFeatures({
      entityRows: [
        { customer_id: '1', event_timestamp: '2025-03-01T00:01:00Z', label: 1 }, // exactly the 60 s TTL after the first row
        { customer_id: '1', event_timestamp: '2025-03-01T00:01:00.001Z', label: 0 }, // 1 ms past it
        { customer_id: '1', event_timestamp: '2025-03-01T00:02:00Z', label: 0 }, // a row at exactly this instant, value null
        { customer_id: '2', event_timestamp: '2025-02-28T00:00:00Z', label: 1 }, // before any history
      ],
      features: ['customer_flags:is_vip'],
      output: { kind: 'memory' },
    });
    expect(result.rows?.map((r) => [r.entityRow['label'], r.features[0]])).toEqual([
      [1, { value: true, status: 'PRESENT', eventTime: t('2025-03-01T00:00:00Z') }],
      [0, { value: false, status: 'STALE', eventTime: t('2025-03-01T00:00:00Z') }],
      [0, { value: false, status: 'DEFAULT', eventTime: t('2025-03-01T00:02:00Z') }],
      [1, { value: false, status: 'MISSING', eventTime: null }],
    ]);

    await store.getHistoricalFeatures({
      entityRows: [{ customer_id: '2', event_timestamp: '2025-03-01T00:00:30Z' }],
      features: ['customer_flags:is_vip'],
      output: { kind: 'table', name: 'live_set' },
    });
    const [table] = await dataset.table('live_set').query('SELECT customer_flags__is_vip, customer_flags__is_vip__status FROM `' + dataset.id + '.live_set`');
    expect(table).toEqual([{ customer_flags__is_vip: false, customer_flags__is_vip__status: 'PRESENT' }]);
  }, 300_000);
});
