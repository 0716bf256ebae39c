import type { FeatureRow } from '@bnpl/feature-definitions';

/** One view's values for one entity at one instant, as the offline store keeps them. */
export interface FeatureHistoryRow {
  /** Canonical decimal entity id. */
  readonly entityId: string;
  /** When the values were true. */
  readonly eventTime: Date;
  readonly values: FeatureRow;
}

/**
 * Where materialization appends feature history for training sets (the offline store). Writing the same
 * (view, entity, event time) again replaces it, so a re-run or a redelivered shard adds no duplicates.
 */
export interface FeatureHistorySink {
  writeFeatureRows(view: string, rows: readonly FeatureHistoryRow[]): Promise<void>;
}
