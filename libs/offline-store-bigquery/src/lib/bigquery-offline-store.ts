import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BigQuery, Job, Query, TableMetadata } from '@google-cloud/bigquery';
import { type Catalog, type FeatureView } from '@bnpl/feature-definitions';
import { OfflineStoreUnavailableError } from '@bnpl/offline-store';
import { selectFeatures } from '@bnpl/offline-store';
import { checkMemoryOutputSize, checkOutput } from '@bnpl/offline-store';
import { toHistoricalRow } from '@bnpl/offline-store';
import { outputLayout } from '@bnpl/offline-store';
import { checkLatestRowIds, ENTITY_ID, EVENT_TIMESTAMP, storedValues } from '@bnpl/offline-store';
import type { HistoricalFeaturesRequest, HistoricalFeaturesResult, HistoricalRow, LatestOfflineRow, OfflineRow, OfflineStore, OfflineWriteResult } from '@bnpl/offline-store';
import { entityTableSchema, stageEntitiesLocally } from './bigquery-entity-upload';
import { mergeQuery, stagingMetadata, writeNdjson } from './bigquery-history-writes';
import { bigQueryPointInTimeQuery, type ParameterisedQuery } from './bigquery-pit-query';
import { latestRowsQuery } from './bigquery-latest-rows';
import { featureTableMetadata } from './bigquery-schema';
import { decodeRows, type BigQueryField, type BigQueryRawRow } from './bigquery-values';

export interface BigQueryOfflineStoreOptions {
  /** A client for the project, e.g. `new BigQuery({ projectId, location })` (Application Default Credentials). */
  readonly client: BigQuery;
  /** The dataset holding one history table per view (it must exist). */
  readonly dataset: string;
  /** The dataset `table` outputs are written to; default `dataset`. */
  readonly trainingDataset?: string;
  /** The datasets' location (`EU`, `US`, `europe-west2`, ...); jobs run there. */
  readonly location?: string;
  /** The feature catalog: the history tables' columns. */
  readonly catalog: Catalog;
  /** Where entity and row files are staged before upload; default the OS temp directory. */
  readonly tmpDir?: string;
}

/** Staging tables vanish on their own a day later if a crash kept them from being dropped. */
const STAGING_TTL_MS = 24 * 3600 * 1000;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
/** Rows per `getQueryResults` page for a memory output. */
const PAGE_ROWS = 10_000;

/**
 * The offline store on BigQuery (see the lib README for the tables and the set-up). Writes upload NDJSON
 * to a staging table with a load job, then MERGE it into the view's table; training sets upload the
 * checked entity table as Parquet, then run one parameterised point-in-time query.
 */
export class BigQueryOfflineStore implements OfflineStore {
  readonly kind = 'bigquery';
  private readonly catalog: Catalog;
  private readonly client: BigQuery;
  private readonly ensured = new Map<string, Promise<void>>();
  private closed = false;

  /**
   * A store with its own client for `projectId` (Application Default Credentials). The Google client is
   * loaded here, so a process on another offline store never loads it.
   */
  static connect(options: Omit<BigQueryOfflineStoreOptions, 'client'> & { readonly projectId: string }): BigQueryOfflineStore {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BigQuery: Client } = require('@google-cloud/bigquery') as typeof import('@google-cloud/bigquery');
    const { projectId, ...rest } = options;
    return new BigQueryOfflineStore({ ...rest, client: new Client({ projectId, location: options.location }) });
  }

  constructor(private readonly options: BigQueryOfflineStoreOptions) {
    for (const d of [options.dataset, options.trainingDataset ?? options.dataset]) {
      // Configuration, checked where names are interpolated into SQL; an app's config schema should catch it first.
      if (!DATASET.test(d)) throw new Error(`Invalid BigQuery dataset name "${d}"`);
    }
    this.client = options.client;
    this.catalog = options.catalog;
  }

  async writeFeatureRows(viewName: string, rows: readonly OfflineRow[] | AsyncIterable<readonly OfflineRow[]>): Promise<OfflineWriteResult> {
    this.assertOpen();
    const view = this.catalog.getView(viewName);
    const dir = await mkdtemp(join(this.options.tmpDir ?? tmpdir(), 'offline-rows-'));
    try {
      const staged = await writeNdjson(view, rows, join(dir, 'rows.ndjson'), Date.now());
      if (staged.count === 0) return { written: 0, skipped: 0 };
      await this.ensureTable(view);
      const staging = `_staging_${view.name}_${randomUUID().replace(/-/g, '')}`;
      return await this.withStagingTable(staging, stagingMetadata(view), async () => {
        await this.load(staging, staged.path, 'NEWLINE_DELIMITED_JSON');
        const { resp } = await this.query(mergeQuery(view, this.table(view.name), this.table(staging), staged));
        const written = Number(resp.numDmlAffectedRows ?? 0);
        return { written, skipped: staged.count - written };
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult> {
    this.assertOpen();
    const selection = selectFeatures(this.catalog, request);
    const output = checkOutput(request.output, 'gcs');
    const dir = await mkdtemp(join(this.options.tmpDir ?? tmpdir(), 'offline-entities-'));
    try {
      const file = join(dir, 'entities.parquet');
      const entities = await stageEntitiesLocally(request, selection, file);
      checkMemoryOutputSize(output, entities.rowCount);
      const schema = entityTableSchema(selection, entities);
      await Promise.all(selection.views.map((v) => this.ensureTable(v.view)));
      const layout = outputLayout(selection, entities.labels);
      const staging = `_entities_${randomUUID().replace(/-/g, '')}`;
      const result = {
        featureNames: selection.features.map((f) => f.ref),
        omittedRequestFeatures: selection.omittedRequestFeatures,
        columns: layout.columns,
        rowCount: entities.rowCount,
      };
      return await this.withStagingTable(staging, { schema: { fields: schema } }, async () => {
        await this.load(staging, file, 'PARQUET');
        const query = bigQueryPointInTimeQuery(layout, this.table(staging), (t) => this.table(t), entities.maxEventTime, output.kind === 'memory');
        switch (output.kind) {
          case 'memory': {
            const { fields, rows } = await this.query(query, true);
            const decoded = decodeRows(fields, rows, new Set(layout.joinKeys));
            return { ...result, rows: decoded.map((row): HistoricalRow => toHistoricalRow(layout, row)) };
          }
          case 'table': {
            const destination = this.client.dataset(this.options.trainingDataset ?? this.options.dataset).table(output.name);
            await this.query(query, false, { destination, writeDisposition: 'WRITE_TRUNCATE' });
            return result;
          }
          case 'file': {
            // EXPORT DATA takes no parameter for its URI; checkOutput allowed no quote or backslash in it.
            const header = output.format === 'csv' ? ', header = true' : '';
            const sql = `EXPORT DATA OPTIONS (uri = '${output.path}', format = '${output.format.toUpperCase()}', overwrite = ${output.overwrite !== false}${header}) AS ${query.sql}`;
            await this.query({ ...query, sql });
            return result;
          }
        }
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async readLatestRows(viewName: string, entityIds: readonly string[]): Promise<Array<LatestOfflineRow | null>> {
    this.assertOpen();
    const view = this.catalog.getView(viewName);
    const ids = checkLatestRowIds(entityIds);
    if (ids.length === 0) return entityIds.map(() => null);
    await this.ensureTable(view);
    const { fields, rows } = await this.query({ sql: latestRowsQuery(view, this.table(view.name), ids), params: {}, types: {} }, true);
    const byId = new Map<string, LatestOfflineRow>();
    for (const row of decodeRows(fields, rows, new Set([ENTITY_ID]))) {
      byId.set(row(ENTITY_ID) as string, { eventTime: row(EVENT_TIMESTAMP) as Date, values: storedValues(view, row) });
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.call('ping', () => this.client.dataset(this.options.dataset).get());
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new OfflineStoreUnavailableError('bigquery', 'the store is closed');
  }

  private table(name: string): string {
    return `\`${this.client.projectId}.${this.options.dataset}.${name}\``;
  }

  /** Creates the view's table once per process (an existing one is kept as it is). */
  private ensureTable(view: FeatureView): Promise<void> {
    let ensured = this.ensured.get(view.name);
    if (!ensured) {
      ensured = this.call(`creating table ${view.name}`, async () => {
        try {
          await this.client.dataset(this.options.dataset).createTable(view.name, featureTableMetadata(view));
        } catch (error) {
          if ((error as { code?: unknown }).code !== 409) throw error;
        }
      });
      ensured.catch(() => this.ensured.delete(view.name));
      this.ensured.set(view.name, ensured);
    }
    return ensured;
  }

  /** Runs `work` with a staging table that expires by itself, dropping it after. */
  private async withStagingTable<T>(name: string, metadata: TableMetadata, work: () => Promise<T>): Promise<T> {
    const dataset = this.client.dataset(this.options.dataset);
    await this.call(`creating staging table ${name}`, () =>
      dataset.createTable(name, { ...metadata, expirationTime: String(Date.now() + STAGING_TTL_MS) }),
    );
    try {
      return await work();
    } finally {
      await dataset.table(name).delete().catch(() => undefined); // it expires anyway
    }
  }

  private async load(table: string, file: string, sourceFormat: 'NEWLINE_DELIMITED_JSON' | 'PARQUET'): Promise<void> {
    await this.call(`loading ${table}`, async () => {
      const [job] = await this.client.dataset(this.options.dataset).table(table).createLoadJob(file, { sourceFormat, writeDisposition: 'WRITE_APPEND' });
      await job.promise();
    });
  }

  /** Runs a query job and waits for it; with `read`, returns every result row (raw, decoded by the caller). */
  private async query(query: ParameterisedQuery, read = false, extra: Partial<Query> = {}) {
    return this.call('running a query', async () => {
      const [job] = await this.client.createQueryJob({ query: query.sql, params: query.params, types: query.types, location: this.options.location, ...extra });
      return readResults(job, read);
    });
  }

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new OfflineStoreUnavailableError('bigquery', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** The raw REST pages of a query's results (waiting while the job runs); rows only when asked. */
async function readResults(job: Job, read: boolean): Promise<{ fields: BigQueryField[]; rows: BigQueryRawRow[]; resp: { numDmlAffectedRows?: string | null } }> {
  const rows: BigQueryRawRow[] = [];
  let fields: BigQueryField[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const [page, , resp] = await job.getQueryResults({ skipParsing: true, autoPaginate: false, maxResults: read ? PAGE_ROWS : 0, pageToken });
    // Each call waits server-side (10 s by default) before answering that the job still runs.
    if (resp?.jobComplete === false) continue;
    fields = (resp?.schema?.fields as BigQueryField[] | undefined) ?? fields;
    rows.push(...((page as BigQueryRawRow[] | null) ?? []));
    pageToken = read ? (resp?.pageToken ?? undefined) : undefined;
    if (!pageToken) return { fields, rows, resp: resp ?? {} };
  }
}
