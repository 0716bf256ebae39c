import { type Meter } from '@opentelemetry/api';
import { isCachingOnlineStore, type OnlineStore } from '@bnpl/online-store';
import { type GetOnlineFeatures, type GetOnlineFeaturesStats } from '@bnpl/serving';
import { type FeatureUpdateInvalidator } from './feature-updates/feature-update-invalidator';

type CounterName = Exclude<keyof GetOnlineFeaturesStats, 'onlineStoreBreaker' | 'sourceBreaker'>;

/** Read-path counters exported as Prometheus counters (`<name>_total`); pairs are (entity, stored view). */
const COUNTERS: ReadonlyArray<readonly [CounterName, string, string]> = [
  ['requests', 'bnpl_serving_requests', 'GetOnlineFeatures requests answered or rejected after validation'],
  ['onlineHits', 'bnpl_serving_online_hits', 'Pairs found in the online store (L1 or Redis)'],
  ['onlineMisses', 'bnpl_serving_online_misses', 'Pairs the online store had nothing for'],
  ['onlineStoreFailures', 'bnpl_serving_online_failures', 'Online store reads that failed or were skipped by the open breaker'],
  ['negativeCacheHits', 'bnpl_serving_negative_cache_hits', 'Pairs answered "unknown entity" from the negative cache'],
  ['sourceReads', 'bnpl_serving_source_reads', 'Source (PostgreSQL) reads made on misses'],
  ['sourceEntities', 'bnpl_serving_source_entities', 'Entities read from the source, per view'],
  ['sourceSharedEntities', 'bnpl_serving_source_shared_entities', 'Entities that joined a source read already in flight'],
  ['sourceFailures', 'bnpl_serving_source_failures', 'Source reads that failed'],
  ['refilledRows', 'bnpl_serving_refilled_rows', 'Rows written back to the online store after a miss'],
  ['refillFailures', 'bnpl_serving_refill_failures', 'Refill writes that failed'],
];

const BREAKER_STATE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Registers the read path's counters, its breakers' states and the L1 cache's counters on `meter`.
 * Observable instruments read the counters at scrape time: nothing is added to the hot path.
 */
export function registerServingMetrics(meter: Meter, useCase: GetOnlineFeatures, store: OnlineStore): void {
  for (const [stat, name, description] of COUNTERS) {
    meter.createObservableCounter(name, { description }).addCallback((r) => r.observe(useCase.stats()[stat]));
  }
  meter
    .createObservableGauge('bnpl_serving_breaker_state', { description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open' })
    .addCallback((r) => {
      const stats = useCase.stats();
      r.observe(BREAKER_STATE[stats.onlineStoreBreaker], { dependency: 'online-store' });
      r.observe(BREAKER_STATE[stats.sourceBreaker], { dependency: 'source' });
    });
  if (!isCachingOnlineStore(store)) return;
  const cacheStats = () => store.cacheStats();
  meter.createObservableCounter('bnpl_online_store_l1_hits', { description: 'L1 cache lookups answered from memory' }).addCallback((r) => r.observe(cacheStats().hits));
  meter.createObservableCounter('bnpl_online_store_l1_misses', { description: 'L1 cache lookups sent to the store' }).addCallback((r) => r.observe(cacheStats().misses));
  meter.createObservableCounter('bnpl_online_store_l1_evictions', { description: 'L1 entries dropped to make room' }).addCallback((r) => r.observe(cacheStats().evictions));
  meter.createObservableGauge('bnpl_online_store_l1_entries', { description: 'L1 entries held' }).addCallback((r) => r.observe(cacheStats().size));
}

/** Registers the counters of feature-update events applied to this instance's caches on `meter`. */
export function registerFeatureUpdateMetrics(meter: Meter, invalidator: FeatureUpdateInvalidator): void {
  meter
    .createObservableCounter('bnpl_serving_feature_update_events', { description: 'Feature-update events applied to this instance\'s caches' })
    .addCallback((r) => r.observe(invalidator.stats().events));
  meter
    .createObservableCounter('bnpl_serving_invalidated_keys', { description: 'Entities dropped from this instance\'s caches by feature-update events' })
    .addCallback((r) => r.observe(invalidator.stats().keys));
}
