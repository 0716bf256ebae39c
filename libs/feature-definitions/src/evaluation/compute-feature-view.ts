import type { FeatureView } from '../model/catalog';
import type { FeatureRow } from '../model/value-type';
import type { SourceRow } from './column-value';
import { evaluateViewTiles, summariseViewTiles, type RowsBySource } from './view-tiles';

export type { RowsBySource } from './view-tiles';

/**
 * The reference evaluator: computes one entity's values of a view from plain rows, exactly as the SQL
 * compiled from the same definition does (the parity tests prove it), and the oracle of those tests. It
 * summarises the rows into per-day tiles and sums the tiles inside each window: the same summing
 * (`evaluateViewTiles`) the streaming path and the read path apply to stored tiles.
 *
 * @param view a view of a catalog (`catalog.getView(name)`).
 * @param entityRow the entity's row of its own table (`customers`, `merchants`), or null when the entity
 *   does not exist, in which case the result is null (as `SourceFeatureReader` returns for it).
 * @param rowsBySource rows of the sources the view aggregates over. Rows whose key column is not this
 *   entity's id are ignored, so passing a whole table is correct, only slower.
 * @param asOf the as-of instant; only windows and ages depend on it (see `AggregateSpec`).
 * @returns feature name -> value, in declaration order; null where the definition yields no value.
 * @throws FeatureComputationError for a source value of the wrong shape or an integer beyond 2^53;
 *   InvalidAsOfError for an invalid `asOf`.
 */
export function computeFeatureViewFromRows(view: FeatureView, entityRow: SourceRow | null, rowsBySource: RowsBySource, asOf: Date): FeatureRow | null {
  const tiles = summariseViewTiles(view, entityRow, rowsBySource, asOf);
  return tiles && evaluateViewTiles(view, tiles, tiles.asOfDay);
}
