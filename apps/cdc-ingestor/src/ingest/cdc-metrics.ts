import { type Histogram, type Meter } from '@opentelemetry/api';
import { type AppliedBatch } from '@bnpl/cdc';
import { type CdcRuntime } from './cdc-runtime';

/**
 * The ingestor's Prometheus metrics. Counters and gauges are read at scrape time from the ingestor's
 * stats and the last polled slot status; the freshness histogram is fed per applied batch.
 */
export function registerCdcMetrics(meter: Meter, runtime: CdcRuntime): void {
  const stats = () => runtime.snapshot().stats;
  const counters: ReadonlyArray<readonly [keyof ReturnType<typeof stats>, string, string]> = [
    ['transactionsApplied', 'bnpl_cdc_transactions_applied', 'Source transactions applied to the online store and acknowledged'],
    ['changesApplied', 'bnpl_cdc_changes_applied', 'Source row changes applied'],
    ['rowsWritten', 'bnpl_cdc_rows_written', 'Online rows (entity x view) written'],
    ['entitiesDeleted', 'bnpl_cdc_entities_deleted', 'Entities removed from the online store because their source row is gone'],
    ['reconnects', 'bnpl_cdc_reconnects', 'Replication stream reconnections'],
    ['notifyFailures', 'bnpl_cdc_notify_failures', 'Feature-update notices that could not be published'],
  ];
  for (const [stat, name, description] of counters) meter.createObservableCounter(name, { description }).addCallback((r) => r.observe(Number(stats()[stat])));
  meter.createObservableCounter('bnpl_cdc_changes_skipped', { description: 'Changes or columns skipped, by reason (unknown table or column, missing or invalid key, truncate)' }).addCallback((r) => {
    for (const [reason, count] of Object.entries(stats().skipped)) r.observe(count, { reason });
  });
  meter.createObservableGauge('bnpl_cdc_replication_lag_bytes', { description: 'WAL bytes not yet applied and acknowledged (slot position vs current WAL)' }).addCallback((r) => {
    const slot = runtime.snapshot().slot;
    if (slot) r.observe(slot.lagBytes);
  });
  meter.createObservableGauge('bnpl_cdc_replication_lag_seconds', { description: 'Age of the oldest transaction received and not yet applied' }).addCallback((r) => r.observe(stats().lagSeconds));
  meter.createObservableGauge('bnpl_cdc_changes_per_second', { description: 'Source changes applied per second, over the last 10 s' }).addCallback((r) => r.observe(stats().changesPerSecond));
  meter.createObservableGauge('bnpl_cdc_pending_transactions', { description: 'Transactions received and not yet applied' }).addCallback((r) => r.observe(stats().pendingTransactions));
  // Per entity kind's lane: which one holds the acknowledgement back.
  meter.createObservableGauge('bnpl_cdc_lane_pending_transactions', { description: 'Transactions received and not yet applied, by the lane of each entity kind' }).addCallback((r) => {
    for (const lane of stats().lanes) r.observe(lane.pendingTransactions, { entity: lane.entity ?? 'none' });
  });
  meter.createObservableGauge('bnpl_cdc_lane_lag_seconds', { description: 'Age of the oldest transaction a lane has not applied, by entity kind' }).addCallback((r) => {
    for (const lane of stats().lanes) r.observe(lane.lagSeconds, { entity: lane.entity ?? 'none' });
  });
  // Freshness of the online store as a whole: time() minus this is how far behind the source it may be.
  meter
    .createObservableGauge('bnpl_cdc_applied_through_timestamp_seconds', { description: 'Unix time before which every committed source change is applied (the stream watermark)' })
    .addCallback((r) => {
      const appliedThrough = stats().appliedThrough;
      if (appliedThrough) r.observe(appliedThrough.getTime() / 1000);
    });
}

/**
 * A histogram of commit-to-online-store latency, fed from the ingestor's onBatchApplied hook. In seconds,
 * Prometheus' base unit (the name used to end in `_ms`, which `promtool check metrics` rejects).
 */
export function freshnessRecorder(meter: Meter): (batch: AppliedBatch) => void {
  const histogram: Histogram = meter.createHistogram('bnpl_cdc_commit_to_write_seconds', {
    description: 'Seconds from a source commit to its values in the online store, once per entity kind it changed',
    advice: { explicitBucketBoundaries: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5, 30] },
  });
  return (batch) => {
    for (const ms of batch.commitToWriteMs) histogram.record(ms / 1000);
  };
}
