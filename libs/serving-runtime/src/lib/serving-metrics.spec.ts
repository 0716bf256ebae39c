import { MetricsRegistry } from '@bnpl/platform';
import { bnplCatalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, L1CachedOnlineStore, type EntityKey } from '@bnpl/online-store';
import { GetOnlineFeatures } from '@bnpl/serving';
import { registerServingMetrics } from './serving-metrics';

const counter = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);

const backend = (namespace: string) => new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `serving-metrics-spec-${namespace}` });
const customers = (from: number, to: number): EntityKey[] => Array.from({ length: to - from + 1 }, (_, i) => ({ entity: 'customer', id: String(from + i) }));

const source: SourceFeatureReader = { readView: async (_view, ids) => ids.map(() => null), readViewRange: async () => [] };

describe('registerServingMetrics', () => {
  it('exports the read path counters, breaker states and L1 counters at scrape time', async () => {
    const registry = new MetricsRegistry('test');
    const store = new L1CachedOnlineStore(backend('l1'), { maxEntries: 100, ttlMs: 60_000 });
    // Other reads through the same L1 beforehand: 8 entries cached (customers 2-9), 6 of them read again.
    await store.read(customers(2, 9), ['customer_profile']);
    await store.read(customers(2, 7), ['customer_profile']);
    const useCase = new GetOnlineFeatures(bnplCatalog, store, source);
    registerServingMetrics(registry.meter, useCase, store);

    await useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] });
    await useCase.execute({ features: ['customer_profile:country'], entityRows: [{ customer_id: '1' }] });
    const text = await registry.render();

    expect(counter(text, 'bnpl_serving_requests_total')).toBe(2);
    expect(counter(text, 'bnpl_serving_online_misses_total')).toBe(2);
    expect(counter(text, 'bnpl_serving_source_reads_total')).toBe(1);
    expect(counter(text, 'bnpl_serving_negative_cache_hits_total')).toBe(1);
    expect(text).toMatch(/^bnpl_serving_breaker_state\{dependency="online-store"\} 0$/m);
    // The 6 hits above and the second request's; the 8 entries above and customer 1's profile.
    expect(counter(text, 'bnpl_online_store_l1_hits_total')).toBe(7);
    expect(counter(text, 'bnpl_online_store_l1_entries')).toBe(9);
    await useCase.close();
    await registry.shutdown();
  });

  it('adds no L1 series for a store without a cache', async () => {
    const registry = new MetricsRegistry('test');
    const store = backend('plain');
    const useCase = new GetOnlineFeatures(bnplCatalog, store, source);
    registerServingMetrics(registry.meter, useCase, store);
    const text = await registry.render();
    expect(text).toContain('bnpl_serving_requests_total 0');
    expect(text).not.toContain('bnpl_online_store_l1');
    await useCase.close();
    await registry.shutdown();
  });
});
