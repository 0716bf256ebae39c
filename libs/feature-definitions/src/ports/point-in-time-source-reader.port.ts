import type { FeatureRow } from '../model/value-type';
import type { EntityFeatureRow } from './source-feature-reader.port';

/**
 * Reads views as of a past instant from what the source can still tell about it: the producer of
 * backfills. Where `SourceFeatureReader` answers with the current state (windows and ages as of the
 * instant's date), this answers with the state at the instant as far as the source keeps it (see
 * `FeatureView.backfill` and `SourceHistory`):
 * - an entity created after the instant has no row;
 * - aggregates read only rows created by the instant, with rebuilt columns as they were then;
 * - a feature whose past the source does not keep (`backfill.mode` `none`) is `null`: left out, never
 *   today's value written as the past's.
 *
 * Entity ids, instants, view names and failures are handled as `SourceFeatureReader` does.
 */
export interface PointInTimeSourceReader {
  /** Same length and order as `entityIds`; `null` for an entity that did not exist at `instant` (or at all). */
  readViewAt(viewName: string, entityIds: readonly string[], instant: Date): Promise<Array<FeatureRow | null>>;
  /** Every entity of `[fromId, toId]` that existed at `instant`, by ascending id. */
  readViewRangeAt(viewName: string, fromId: string, toId: string, instant: Date): Promise<EntityFeatureRow[]>;
  /** `readViewRangeAt` for several views of one entity in one read (see `SourceFeatureReader.readViewsRange`); optional. */
  readViewsRangeAt?(viewNames: readonly string[], fromId: string, toId: string, instant: Date): Promise<EntityFeatureRow[][]>;
}

/** Injection token for the PointInTimeSourceReader port. */
export const POINT_IN_TIME_SOURCE_READER = Symbol('POINT_IN_TIME_SOURCE_READER');
