import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { type Catalog } from '@bnpl/feature-definitions';
import { InvalidHistoricalRequestError, OfflineStoreUnavailableError } from '@bnpl/offline-store';
import { selectFeatures } from '@bnpl/offline-store';
import { checkMemoryOutputSize, checkOutput } from '@bnpl/offline-store';
import { toHistoricalRow } from '@bnpl/offline-store';
import { outputLayout, type OutputLayout } from '@bnpl/offline-store';
import { checkLatestRowIds, CREATED_AT, ENTITY_ID, EVENT_TIMESTAMP, featureColumns, storedValues } from '@bnpl/offline-store';
import type { HistoricalFeaturesRequest, HistoricalFeaturesResult, HistoricalRow, LatestOfflineRow, OfflineRow, OfflineStore, OfflineWriteResult } from '@bnpl/offline-store';
import { stageEntityTable } from './duckdb-entity-table';
import { ensureFeatureTables, featureTable, TRAINING_SCHEMA, writeHistory } from './duckdb-feature-tables';
import { pointInTimeQuery } from './duckdb-pit-query';
import { duck, ident, str, utcConnection } from './duckdb-sql';

export interface DuckDBOfflineStoreOptions {
  /** The database file (created with its directory if absent), or `:memory:`. One process may open a file at a time. */
  readonly path: string;
  /** The feature catalog: the history tables' columns. */
  readonly catalog: Catalog;
  /** DuckDB settings, e.g. `{ threads: '2', memory_limit: '2GB' }`. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * The embedded offline store: a DuckDB database file (see the lib README for its tables). Each call runs
 * on its own connection, so temp tables never collide and reads see a consistent snapshot while writes
 * go on; writes to one view are serialised (their merges would otherwise conflict).
 */
export class DuckDBOfflineStore implements OfflineStore {
  readonly kind = 'duckdb';
  private closed = false;
  /** Per view, the tail of its chain of merges. */
  private readonly merges = new Map<string, Promise<unknown>>();
  /** Calls running on a connection: close waits for them before closing the database under them. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly catalog: Catalog,
  ) {}

  /** Opens (or creates) the database and the catalog's feature tables. */
  static async open(options: DuckDBOfflineStoreOptions): Promise<DuckDBOfflineStore> {
    const { catalog } = options;
    if (options.path !== ':memory:') await mkdir(dirname(options.path), { recursive: true });
    const instance = await duck(`opening ${options.path}`, () => DuckDBInstance.create(options.path, { ...options.settings }));
    const store = new DuckDBOfflineStore(instance, catalog);
    try {
      await store.withConnection((c) => ensureFeatureTables(c, catalog));
    } catch (error) {
      await store.close(); // releases the file's lock
      throw error;
    }
    return store;
  }

  async writeFeatureRows(viewName: string, rows: readonly OfflineRow[] | AsyncIterable<readonly OfflineRow[]>): Promise<OfflineWriteResult> {
    const view = this.catalog.getView(viewName);
    const startedAt = Date.now();
    return this.withConnection((c) => writeHistory(c, view, rows, startedAt, (work) => this.serialise(view.name, work)));
  }

  async getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult> {
    const selection = selectFeatures(this.catalog, request);
    const output = checkOutput(request.output, 'local');
    if (output.kind === 'file' && output.overwrite === false && (await lstat(output.path).then(() => true, () => false))) {
      throw new InvalidHistoricalRequestError(`Invalid output: ${output.path} exists (ask to overwrite it)`);
    }
    return this.withConnection(async (c) => {
      const entities = await stageEntityTable(c, request, selection);
      checkMemoryOutputSize(output, entities.rowCount);
      const layout = outputLayout(selection, entities.labels);
      const query = pointInTimeQuery(layout, entities.table, entities, output.kind === 'memory');
      const result = {
        featureNames: selection.features.map((f) => f.ref),
        omittedRequestFeatures: selection.omittedRequestFeatures,
        columns: layout.columns,
        rowCount: entities.rowCount,
      };
      switch (output.kind) {
        case 'memory':
          return { ...result, rows: await readRows(c, query, layout) };
        case 'file': {
          const options = output.format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
          await mkdir(dirname(output.path), { recursive: true });
          await duck(`writing ${output.path}`, () => c.run(`COPY (${query}) TO ${str(output.path)} (${options})`));
          return result;
        }
        case 'table':
          await duck(`writing table ${output.name}`, () => c.run(`CREATE OR REPLACE TABLE ${TRAINING_SCHEMA}.${ident(output.name)} AS ${query}`));
          return result;
      }
    });
  }

  async readLatestRows(viewName: string, entityIds: readonly string[]): Promise<Array<LatestOfflineRow | null>> {
    const view = this.catalog.getView(viewName);
    const ids = checkLatestRowIds(entityIds);
    if (ids.length === 0) return entityIds.map(() => null);
    const columns = view.features.flatMap((f) => featureColumns(f)).map((c) => ident(c.name));
    // Ids are checked canonical integers: inlined as a list (the history tables have no index to probe anyway).
    const sql =
      `SELECT CAST(${ENTITY_ID} AS VARCHAR) AS ${ENTITY_ID}, epoch_ms(${EVENT_TIMESTAMP}) AS ${EVENT_TIMESTAMP}, ${columns.join(', ')} FROM ${featureTable(view.name)} ` +
      `WHERE ${ENTITY_ID} IN (${ids.join(', ')}) QUALIFY row_number() OVER (PARTITION BY ${ENTITY_ID} ORDER BY ${EVENT_TIMESTAMP} DESC, ${CREATED_AT} DESC) = 1`;
    const found = await this.withConnection(async (c) => {
      const reader = await duck(`reading the latest rows of ${view.name}`, () => c.runAndReadAll(sql));
      return reader.getRowObjectsJS();
    });
    const byId = new Map<string, LatestOfflineRow>();
    for (const row of found) {
      const get = (column: string) => {
        const v = row[column];
        return typeof v === 'bigint' ? Number(v) : (v ?? null);
      };
      byId.set(String(row[ENTITY_ID]), { eventTime: new Date(Number(row[EVENT_TIMESTAMP])), values: storedValues(view, get) });
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }

  async ping(): Promise<void> {
    await this.withConnection((c) => duck('ping', () => c.run('SELECT 1')));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.running);
    this.instance.closeSync();
  }

  /**
   * Runs `work` on a fresh UTC connection to this store's database. Not part of the OfflineStore port: it is
   * how other adapters keep their tables in the same file (the decision store), since a DuckDB file has one
   * owning instance per process. Fails with OfflineStoreUnavailableError once the store is closed.
   */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new OfflineStoreUnavailableError('duckdb', 'the store is closed');
    const call = (async () => {
      const connection = await duck('connecting', () => utcConnection(() => this.instance.connect()));
      try {
        return await work(connection);
      } finally {
        connection.closeSync();
      }
    })();
    this.running.add(call);
    try {
      return await call;
    } finally {
      this.running.delete(call);
    }
  }

  private serialise(view: string, work: () => Promise<void>): Promise<void> {
    const run = (this.merges.get(view) ?? Promise.resolve()).then(work, work);
    this.merges.set(view, run);
    return run;
  }
}

/** Reads a memory output, decoding DuckDB's values into the port's (bigint ids to strings, INT64 to numbers). */
async function readRows(connection: DuckDBConnection, query: string, layout: OutputLayout): Promise<HistoricalRow[]> {
  const reader = await duck('reading the training set', () => connection.runAndReadAll(query));
  const columns = reader.getColumnsObjectJS();
  const idColumns = new Set(layout.joinKeys);
  const decode = (column: string, value: unknown): unknown => {
    if (typeof value !== 'bigint') return value;
    if (idColumns.has(column)) return value.toString();
    // INT64 values and labels: exact as numbers within 2^53 (what the catalog allows); larger labels as text.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  };
  return Array.from({ length: reader.currentRowCount }, (_, i) => toHistoricalRow(layout, (column) => decode(column, columns[column][i])));
}
