import type { Meter } from '@opentelemetry/api';
import type { AccessControl } from './access-control';

/**
 * Access-control metrics on the app's `/metrics`, read at scrape time (nothing added to the hot path):
 * refusals by reason, rate-limit decisions, leases and failures of the shared budget (the fail-open
 * counter an alert watches), and the key cache.
 */
export function registerAccessControlMetrics(meter: Meter, access: AccessControl): void {
  meter
    .createObservableCounter('bnpl_auth_rejections', { description: 'Calls refused by access control, by reason (401, 403 and 429 reasons)' })
    .addCallback((r) => {
      for (const [reason, count] of access.rejectionCounts()) r.observe(count, { reason });
    });
  const limits = () => access.limiter.stats();
  meter
    .createObservableCounter('bnpl_rate_limit_decisions', { description: 'Rate-limit decisions: admitted or limited' })
    .addCallback((r) => {
      const stats = limits();
      r.observe(stats.admitted, { outcome: 'admitted' });
      r.observe(stats.limited, { outcome: 'limited' });
    });
  meter.createObservableCounter('bnpl_rate_limit_leases', { description: 'Leases taken from the shared rate budget (round trips to Redis)' }).addCallback((r) => r.observe(limits().leases));
  meter
    .createObservableCounter('bnpl_rate_limit_store_failures', { description: 'Failed calls to the shared rate budget (Redis): requests were admitted by this instance alone (fail open)' })
    .addCallback((r) => r.observe(limits().storeFailures));
  const cache = () => access.keys.stats();
  meter.createObservableCounter('bnpl_auth_key_cache_hits', { description: 'API key lookups answered from memory' }).addCallback((r) => r.observe(cache().hits));
  meter.createObservableCounter('bnpl_auth_key_cache_misses', { description: 'API key lookups sent to the key table' }).addCallback((r) => r.observe(cache().misses));
  meter.createObservableGauge('bnpl_auth_key_cache_entries', { description: 'API keys (and unknown ids) held in memory' }).addCallback((r) => r.observe(cache().size));
}
