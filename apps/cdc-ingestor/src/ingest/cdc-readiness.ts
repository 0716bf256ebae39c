import { type ReadinessCheck } from '@bnpl/platform';
import { type CdcRuntime } from './cdc-runtime';

/**
 * Ready while the stream runs, the slot exists, batches apply, and lag is within bounds. Each failure
 * says what to do; the details carry the figures an SRE looks at first.
 */
export function cdcReadiness(runtime: CdcRuntime): ReadinessCheck {
  return {
    name: 'cdc',
    async check() {
      const slot = await runtime.pollSlot();
      const { stats, startError, rollover } = runtime.snapshot();
      const { maxLagBytes, maxLagSeconds } = runtime.bounds;
      if (startError) throw new Error(`not streaming: ${startError}`);
      if (slot && !slot.slotExists) {
        throw new Error('the replication slot is gone or lost: restart the ingestor to create it, then rebuild the online store with a full materialization (README, "Rebuilding after a lost slot")');
      }
      if (slot && !slot.streaming) throw new Error('the replication stream is reconnecting');
      if (stats.state === 'retrying') throw new Error(`applying source changes fails, nothing is acknowledged until it succeeds: ${stats.lastError ?? 'unknown error'}`);
      const lagBytes = slot?.lagBytes ?? 0;
      if (lagBytes > maxLagBytes) throw new Error(`replication lag ${lagBytes} bytes exceeds CDC_MAX_LAG_BYTES=${maxLagBytes}`);
      if (stats.lagSeconds > maxLagSeconds) throw new Error(`replication lag ${stats.lagSeconds.toFixed(1)} s exceeds CDC_MAX_LAG_SECONDS=${maxLagSeconds}`);
      return {
        lagBytes,
        lagSeconds: stats.lagSeconds,
        changesPerSecond: stats.changesPerSecond,
        pendingTransactions: stats.pendingTransactions,
        transactionsApplied: stats.transactionsApplied,
        lastAppliedLsn: stats.lastAppliedLsn ?? null,
        appliedThrough: stats.appliedThrough?.toISOString() ?? null,
        skipped: stats.skipped,
        // Each entity kind applies the stream in its own lane: the one behind holds the acknowledgement.
        lanes: stats.lanes,
        windowEdges: rollover ?? null,
      };
    },
  };
}
