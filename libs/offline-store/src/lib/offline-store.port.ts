import type { FeatureRow, FeatureValue } from '@bnpl/feature-definitions';

/** One view's values for one entity at one instant: a row of the view's history. */
export interface OfflineRow {
  /** Canonical decimal entity id of the view's entity (see `isValidEntityId`). */
  readonly entityId: string;
  /** When the values were true (the as-of instant of the computation), not when they were written. */
  readonly eventTime: Date;
  /** Features of the view; a feature absent from the row is stored as `null` (read back as its default). */
  readonly values: FeatureRow;
  /**
   * When the row was produced; decides which of two writes of the same (entity, event time) is kept.
   * Default: the instant the write call started.
   */
  readonly createdAt?: Date;
}

/** `written + skipped` is the number of rows given. */
export interface OfflineWriteResult {
  /** Rows now stored (new, or replacing a stored row of the same entity and event time). */
  readonly written: number;
  /**
   * Rows not applied: a stored row of the same (entity, event time) has a later `createdAt`, or a later
   * row of the same call has the same (entity, event time).
   */
  readonly skipped: number;
}

/** A value of an entity row's column: join keys are canonical decimal strings, timestamps Dates. */
export type EntityRowValue = string | number | boolean | Date | null;

/**
 * One row of an entity table given in memory. It carries the join key of every entity whose views are
 * asked for (`customer_id`, `merchant_id`: canonical decimal strings; numbers are accepted), the instant
 * to read the features at (`event_timestamp`: a Date, or an ISO 8601 string with its offset, e.g.
 * `2025-03-01T10:00:00Z`), and any other columns (labels), which are passed through to the output.
 */
export interface EntityRowInput {
  readonly event_timestamp: Date | string;
  readonly [column: string]: EntityRowValue | bigint | undefined;
}

/**
 * An entity table in a file, read by the store: CSV with a header row, or Parquet. Columns as for
 * `EntityRowInput`; in CSV, `event_timestamp` must carry its offset; in Parquet it is a
 * `TIMESTAMP` adjusted to UTC (`TIMESTAMPTZ`) or such a string.
 */
export interface EntityTableFile {
  readonly path: string;
  /** Default: from the file's extension (`.csv`, `.parquet`). */
  readonly format?: 'csv' | 'parquet';
}

/**
 * Where a training set goes:
 * - `memory`: returned in `HistoricalFeaturesResult.rows` (tests, small API requests; at most
 *   `MAX_IN_MEMORY_ENTITY_ROWS` entity rows);
 * - `file`: a Parquet or CSV file. DuckDB writes a local path; BigQuery exports to a `gs://` URI with one
 *   `*` (BigQuery writes as many files as it needs). `overwrite` (default true) replaces what is there;
 *   false refuses a destination that exists (DuckDB: the file; BigQuery: files under the URI's prefix, as
 *   EXPORT DATA's `overwrite = false` does), so that a job never replaces what it was not asked to;
 * - `table`: a table of the offline store (DuckDB schema `training_sets`; BigQuery training dataset),
 *   replaced if it exists. `name` is lower_snake_case.
 * Files and tables hold their rows in no particular order: an entity row's ids and timestamp identify it.
 */
export type HistoricalOutput =
  | { readonly kind: 'memory' }
  | { readonly kind: 'file'; readonly format: 'parquet' | 'csv'; readonly path: string; readonly overwrite?: boolean }
  | { readonly kind: 'table'; readonly name: string };

/** Most entity rows a `memory` output may hold. */
export const MAX_IN_MEMORY_ENTITY_ROWS = 100_000;

/**
 * A point-in-time training-set request: exactly one of `entityRows` / `entityTable`, exactly one of
 * `features` (`view:feature` or `view:*`) / `featureService`.
 */
export interface HistoricalFeaturesRequest {
  readonly entityRows?: readonly EntityRowInput[];
  readonly entityTable?: EntityTableFile;
  readonly features?: readonly string[];
  readonly featureService?: string;
  readonly output: HistoricalOutput;
}

/**
 * Same meaning as on the online read path, judged at each entity row's `event_timestamp`:
 * - PRESENT: the view's latest row at or before the timestamp is within the view's TTL and has a value;
 * - DEFAULT: that row is within the TTL but holds no value for the feature: the default is returned;
 * - STALE: the latest row is older than the TTL: the default is returned (not the old value), with the
 *   old row's event time;
 * - MISSING: no row at or before the timestamp: the default is returned, event time null.
 */
export type OfflineFeatureStatus = 'PRESENT' | 'DEFAULT' | 'STALE' | 'MISSING';

export interface HistoricalFeatureValue {
  /** Never null: the feature's default stands in where there is no value. */
  readonly value: FeatureValue;
  readonly status: OfflineFeatureStatus;
  /** The event time of the view's row the value was judged from; null when MISSING. */
  readonly eventTime: Date | null;
}

export interface HistoricalRow {
  /** The entity row as given: join keys (canonical strings), `event_timestamp` and labels. */
  readonly entityRow: Readonly<Record<string, EntityRowValue>>;
  /** One entry per feature, in `featureNames` order. */
  readonly features: readonly HistoricalFeatureValue[];
}

export interface HistoricalFeaturesResult {
  /** The features retrieved, `view:feature`, `view:*` expanded, in request (or service) order. */
  readonly featureNames: readonly string[];
  /**
   * Request-time features of the feature service that were not retrieved: they are computed from the
   * purchase being decided, which an entity table does not describe.
   */
  readonly omittedRequestFeatures: readonly string[];
  /** Output columns, in order (see the lib README for the layout). */
  readonly columns: readonly string[];
  /** One output row per entity row. */
  readonly rowCount: number;
  /** `memory` output only: one row per entity row, in input order. */
  readonly rows?: readonly HistoricalRow[];
}

/** An entity's latest row of a view's history. */
export interface LatestOfflineRow {
  readonly eventTime: Date;
  /** Every feature of the view; null where the row holds no value. */
  readonly values: FeatureRow;
}

/**
 * The offline store: every view's feature history, and point-in-time-correct training sets built from it.
 *
 * Contract (every adapter):
 * - `writeFeatureRows(view, rows)` appends history. Rows may come as one array or as an async iterable of
 *   batches (streamed from a materialization); every row is validated before anything is stored, and the
 *   call stores all of its rows or none. Idempotent on (view, entity id, event time): of the rows with the
 *   same key (stored or given), the one with the latest `createdAt` is kept, the later given on a tie, so
 *   a re-run replaces what it wrote before and never duplicates it.
 * - `getHistoricalFeatures(request)` returns, for each entity row and each asked feature, the value from
 *   the view's latest row with event time <= the row's `event_timestamp` (a row at exactly that instant is
 *   visible) if it is within the view's TTL (`eventTime + ttl >= event_timestamp`), else the default, with
 *   a status (see `OfflineFeatureStatus`). One output row per entity row; labels pass through unchanged.
 *   Request-time features of a feature service are omitted and listed in the result.
 * - `readLatestRows(view, ids)` returns, for each id in order, the entity's row with the latest event time
 *   (of rows with one event time, the one the store kept), or null when it has none: what the history says
 *   now, for parity checks. At most `MAX_LATEST_ROWS_IDS` ids; InvalidEntityIdError for a malformed one.
 * - `ping` resolves when the backend answers; `close` releases it (calls after it fail).
 *
 * Errors (all validation happens before any work; nothing is written or output when it fails):
 * - unknown view, feature or service, malformed reference -> the catalog's errors
 *   (`UnknownFeatureViewError`, `UnknownFeatureError`, `UnknownFeatureServiceError`,
 *   `InvalidFeatureRefError`);
 * - a row that does not fit its view -> `InvalidOfflineRowError` (INVALID_OFFLINE_ROW) naming the row;
 * - an entity table without a needed column, with a bad id, an unparsable or zone-less timestamp, a
 *   duplicate (ids, timestamp) row, or a column clashing with an output column ->
 *   `InvalidEntityTableError` (INVALID_ENTITY_TABLE) naming the row and column;
 * - a malformed request or an output the backend cannot write -> `InvalidHistoricalRequestError`
 *   (INVALID_HISTORICAL_REQUEST);
 * - the backend fails -> `OfflineStoreUnavailableError` (OFFLINE_STORE_UNAVAILABLE), with the cause.
 */
export interface OfflineStore {
  /** `duckdb` or `bigquery`, for logs and health output. */
  readonly kind: string;
  writeFeatureRows(view: string, rows: readonly OfflineRow[] | AsyncIterable<readonly OfflineRow[]>): Promise<OfflineWriteResult>;
  getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult>;
  readLatestRows(view: string, entityIds: readonly string[]): Promise<Array<LatestOfflineRow | null>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Injection token for the OfflineStore port. */
export const OFFLINE_STORE = Symbol('OFFLINE_STORE');
