import { type Meter } from '@opentelemetry/api';
import { type InstrumentedOnlineStore } from './instrumented-online-store';

/**
 * The backend's own counters on the app's meter, read at scrape time, labelled with the backend's kind:
 * what reached Redis (after the L1 cache, whose counters the serving runtime registers) and what was written.
 */
export function registerOnlineStoreMetrics(meter: Meter, backend: InstrumentedOnlineStore): void {
  const labels = { backend: backend.layer };
  const counters = [
    ['hits', 'bnpl_online_store_backend_hits', 'Pairs (entity, view) the backend had a row for, of those read from it (after the L1 cache)'],
    ['misses', 'bnpl_online_store_backend_misses', 'Pairs (entity, view) read from the backend that it had nothing for'],
    ['rowsWritten', 'bnpl_online_store_rows_written', 'Rows (entity, view) written to the backend'],
    ['rowsSkipped', 'bnpl_online_store_rows_skipped', 'Rows an if-newer write kept out because the stored row was as new or newer'],
  ] as const;
  for (const [stat, name, description] of counters) meter.createObservableCounter(name, { description }).addCallback((r) => r.observe(backend.stats()[stat], labels));
}
