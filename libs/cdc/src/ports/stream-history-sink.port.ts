import type { FeatureRow } from '@bnpl/feature-definitions';

/**
 * One view's values for one entity as the streaming path recomputed them, for the offline store's history.
 * `eventTime` is the commit time of the latest transaction of the batch that changed the view (the
 * instant the values became true), `readAt` when they were read from the source: of two rows with the same
 * event time, the one read later holds the later state and wins.
 */
export interface StreamHistoryRow {
  readonly entity: string;
  readonly view: string;
  readonly entityId: string;
  readonly eventTime: Date;
  readonly readAt: Date;
  readonly values: FeatureRow;
}

/**
 * Where the ingestor appends the rows it recomputes (the app publishes them on `bnpl.features.history`,
 * which a batch-processor with an offline store writes there). Part of applying a batch: a failure keeps
 * the batch unacknowledged and retried, so no row is lost; delivery is at least once and the offline
 * store's writes are idempotent on (view, entity, event time).
 */
export interface StreamHistorySink {
  record(rows: readonly StreamHistoryRow[]): Promise<void>;
}
