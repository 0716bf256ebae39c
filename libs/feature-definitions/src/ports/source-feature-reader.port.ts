import type { FeatureRow } from '../model/value-type';

/** One entity's row of a view, with its id, as returned by range reads. */
export interface EntityFeatureRow {
  /** Canonical decimal entity id. */
  readonly entityId: string;
  readonly features: FeatureRow;
}

/**
 * Computes stored feature views directly from the source of truth (the BNPL core tables): the read
 * path's fallback on a cache miss, and the batch path's producer.
 *
 * Contract, for every implementation:
 * - Values are exactly those of `computeFeatureViewFromRows` on the same data and as-of instant (the
 *   reference evaluator); a parity suite proves it per adapter.
 * - A FeatureRow maps every feature name of the view to its value, or to `null` when the definition
 *   yields no value (e.g. a ratio with a zero denominator); the caller applies the feature's default.
 *   MONEY values carry the entity's currency.
 * - Entity ids are canonical decimal strings (`isValidEntityId`); anything else is rejected with
 *   InvalidEntityIdError before any I/O. An invalid `asOf` is rejected with InvalidAsOfError.
 * - An unknown view, or a request-time view, is rejected with UnknownFeatureViewError.
 * - Infrastructure failures (connection lost, timeout) reject with the driver's error, unchanged, so the
 *   caller's circuit breaker sees them; source data that cannot be represented exactly (an integer beyond
 *   2^53) rejects with FeatureComputationError.
 */
export interface SourceFeatureReader {
  /**
   * Reads one view for many entities in one round trip.
   *
   * @returns an array of the same length and order as `entityIds`: the entity's row, or `null` for an
   *   entity that does not exist. Duplicate ids are allowed and get equal rows. An empty `entityIds`
   *   resolves to `[]` without I/O.
   */
  readView(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<FeatureRow | null>>;

  /**
   * Reads one view for every existing entity whose id is in `[fromId, toId]` (inclusive; numeric order),
   * for batch jobs sharded by id range.
   *
   * @returns the rows ordered by ascending id; entities that do not exist are simply absent; `[]` when
   *   `fromId > toId`.
   */
  readViewRange(viewName: string, fromId: string, toId: string, asOf: Date): Promise<EntityFeatureRow[]>;

  /**
   * Several views of one entity for every existing entity of `[fromId, toId]`, in one read: what
   * `readViewRange` gives for each view, from one snapshot of the source. Optional: an adapter that can
   * compute the views together (each source table read once for all of them) offers it, and bulk jobs
   * call `readViewRange` per view otherwise.
   *
   * @returns per view, in `viewNames`' order, its rows by ascending id.
   */
  readViewsRange?(viewNames: readonly string[], fromId: string, toId: string, asOf: Date): Promise<EntityFeatureRow[][]>;
}

/** Injection token for the SourceFeatureReader port (adapters bind their implementation to it). */
export const SOURCE_FEATURE_READER = Symbol('SOURCE_FEATURE_READER');
