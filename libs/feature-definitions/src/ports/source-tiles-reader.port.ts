import type { ViewTiles } from '../evaluation/view-tiles';

/**
 * Reads entities' per-day tiles of a view straight from the source of truth: the streaming path's
 * input. Where SourceFeatureReader answers "the values as of now", this answers "the tiles from which
 * the values as of now and of every later day follow" (see ViewTiles), so the online store can hold
 * values whose windows move with the clock.
 *
 * Contract, for every implementation:
 * - Tiles are those of `summariseViewTiles` on the same data and as-of instant, except that days where an
 *   aggregate has nothing (a zero count or sum, no max, no distinct value) may be left out; so
 *   `evaluateViewTiles` on them gives, for any day from the as-of day on, the values SourceFeatureReader
 *   gives as of that day (a parity suite proves it per adapter).
 * - Entity ids, `asOf`, view names and infrastructure failures are handled as SourceFeatureReader does:
 *   InvalidEntityIdError, InvalidAsOfError and UnknownFeatureViewError before any I/O; driver errors
 *   unchanged; FeatureComputationError for source data that cannot be represented exactly.
 */
export interface SourceTilesReader {
  /**
   * @returns an array of the same length and order as `entityIds`: the entity's tiles, or `null` for an
   *   entity that does not exist. An empty `entityIds` resolves to `[]` without I/O.
   */
  readViewTiles(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<ViewTiles | null>>;
}

/** Injection token for the SourceTilesReader port (adapters bind their implementation to it). */
export const SOURCE_TILES_READER = Symbol('SOURCE_TILES_READER');
