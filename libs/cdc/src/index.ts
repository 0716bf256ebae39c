// Public API of @bnpl/cdc: the streaming path's domain. Source transactions come in through the
// ChangeFeed port (PostgreSQL logical replication in @bnpl/db), are routed to the entities and views they
// affect, recomputed with the batch SQL and written to the online store before they are acknowledged.
export { CHANGE_FEED, type ChangeFeed, type ChangeFeedHandler, type ChangeFeedStatus, type ChangeOperation, type SourceChange, type SourceTransaction } from './ports/change-feed.port';
export { FEATURE_UPDATE_NOTIFIER, type FeatureUpdateNotice, type FeatureUpdateNotifier } from './ports/feature-update-notifier.port';
export { AffectedEntities, ChangeRouter, type SkipListener, type SkipReason } from './routing/change-router';
export { CdcIngestor, type AppliedBatch, type CdcIngestorDeps, type CdcIngestorOptions, type CdcIngestorStats, type CdcLogger, type IngestorState, type LaneStats } from './ingest/cdc-ingestor';
export { compareLsn, lsnToBigInt } from './ingest/lsn';
export { windowEdges, type WindowEdge } from './rollover/window-edges';
export { type WindowEdgeSource } from './ports/window-edge-source.port';
export { CHANGE_LOG, type ChangeLog, type RecordedChange } from './ports/change-log.port';
export { type StreamHistoryRow, type StreamHistorySink } from './ports/stream-history-sink.port';
