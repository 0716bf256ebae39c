import type { FeatureRow, ViewTiles } from '@bnpl/feature-definitions';

/**
 * Which entity a stored row belongs to. `entity` is a catalog entity name (`customer`, `merchant`); `id`
 * is a canonical entity id: a positive decimal integer string without leading zeros (see
 * `isValidEntityId` in @bnpl/feature-definitions).
 */
export interface EntityKey {
  readonly entity: 'customer' | 'merchant' | (string & {});
  readonly id: string;
}

/** One view's values for one entity as stored, with the event time they describe. */
export interface StoredView {
  /** Every feature of the view, in the catalog's feature order; `null` where no value was stored. */
  readonly values: FeatureRow;
  /** When the values were true (not when they were written): what STALE is judged against. */
  readonly eventTime: Date;
  /**
   * The per-day tiles the values were computed from, when the writer kept them (the streaming path): a
   * reader on a later UTC day computes that day's values from them (`valuesOnDay`), so windows and ages
   * move with the clock without a write. Absent for rows written without tiles, or written under another
   * definition of the view.
   */
  readonly tiles?: ViewTiles;
}

/** One row to write: the values of one view for one entity. */
export interface OnlineRow {
  readonly key: EntityKey;
  readonly view: string;
  /** Features of the view; a feature absent from the row is stored as `null`. */
  readonly values: FeatureRow;
  readonly eventTime: Date;
  /** The tiles `values` were computed from (as of the event time's UTC day), stored with them; see StoredView. */
  readonly tiles?: ViewTiles;
}

/**
 * - `if-newer` (default): a row replaces the stored row of its (key, view) only when its event time is
 *   strictly later. An equal event time is skipped, so replaying the same change is a no-op. The check and
 *   the write are one atomic step on the backend: concurrent writers cannot race, the newest event wins
 *   whatever the arrival order.
 * - `overwrite`: replaces regardless of event times (re-materialization of a range after a fix).
 */
export type WriteMode = 'if-newer' | 'overwrite';

export interface WriteOptions {
  readonly mode?: WriteMode;
}

/** `written + skipped` is the number of rows given. */
export interface WriteResult {
  readonly written: number;
  /** Rows not applied because a row with the same or a later event time was stored (`if-newer` only). */
  readonly skipped: number;
}

/**
 * The online store: the low-latency copy of feature values that the read path serves from.
 *
 * Contract (every adapter; `online-store.contract.ts` in @bnpl/online-store checks it against each one):
 * - `read(keys, views)` returns one array per key, in the order of `keys` (same length, duplicates
 *   included), each holding one entry per view in the order of `views`: the stored row, or `null` when
 *   nothing is stored for that (key, view). A view of another entity than the key's reads as `null`.
 *   Values past their view's TTL are still returned (the caller reports them STALE); the backend keeps
 *   them at least as long as the adapter's documented retention. All keys and views cost one network
 *   round trip per backend node. Returned objects are shared with caches: treat them as immutable.
 * - `write(rows, options)` applies rows per `WriteMode`, in batches, and reports how many were written
 *   and skipped. Not transactional across rows: on failure some rows may have been applied; retrying the
 *   whole batch is safe in `if-newer` mode (idempotent).
 * - `delete(keys)` removes every view of the given entities (tests, ops, erasure requests).
 * - `ping` resolves when the store answers a round trip.
 * - `close` releases connections; calling anything after it is an error.
 *
 * Errors (all synchronous checks happen before any I/O; nothing is written when one fails):
 * - an unknown view name (or a request-time view) -> `UnknownFeatureViewError` naming it;
 * - a malformed entity id -> `InvalidEntityIdError`;
 * - a row whose values do not fit the view (unknown feature, wrong type, wrong entity) ->
 *   `InvalidOnlineRowError`;
 * - the backend is unreachable, disconnected, times out or answers with an error ->
 *   `OnlineStoreUnavailableError` (reason ONLINE_STORE_UNAVAILABLE). This is fast: nothing is queued
 *   while disconnected, so a dead backend costs one quick rejection (the read path then falls back);
 * - a stored value that cannot be decoded with the current catalog -> `CorruptStoredValueError`.
 */
export interface OnlineStore {
  /** Which backend this is (`redis`, `redis-cluster`, `redis-sentinel`, `memory`, `l1+redis`, ...), for logs and health output. */
  readonly kind: string;
  read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]>;
  write(rows: readonly OnlineRow[], options?: WriteOptions): Promise<WriteResult>;
  delete(keys: readonly EntityKey[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * The streaming writer only: records that the store holds every source change committed before
   * `appliedThrough` (the stream watermark). Kept only when later than the one stored, so it never moves
   * back. Backends that cannot hold it leave both methods undefined.
   */
  writeStreamWatermark?(appliedThrough: Date): Promise<void>;
  /**
   * The stream watermark last written, or null when none is stored. The read path judges the TTL of rows
   * the streaming path keeps (those with tiles) against it: such a row is true until the next change of
   * its entity, and the watermark says no change came before it.
   */
  readStreamWatermark?(): Promise<Date | null>;
}

/** Injection token for the OnlineStore port (adapters bind their implementation to it). */
export const ONLINE_STORE = Symbol('ONLINE_STORE');

