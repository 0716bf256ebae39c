import { MetricsRegistry } from '@bnpl/platform';
import { bnplCatalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import type { EntityKey, OnlineStore, OnlineStoreCacheStats } from '@bnpl/online-store';
import { GetOnlineFeatures } from '@bnpl/serving';
import { registerServingMetrics } from './serving-metrics';

const counter = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);

function storeWith(cacheStats?: () => OnlineStoreCacheStats): OnlineStore {
  return {
    kind: 'test',
    read: async (keys: readonly EntityKey[], views: readonly string[]) => keys.map(() => views.map(() => null)),
    write: async (rows) => ({ written: rows.length, skipped: 0 }),
    delete: async () => undefined,
    ping: async () => undefined,
    close: async () => undefined,
    ...(cacheStats ? { cacheStats, invalidate: () => undefined } : {}),
  };
}

const source: SourceFeatureReader = { readView: async (_view, ids) => ids.map(() => null), readViewRange: async () => [] };

describe('registerServingMetrics', () => {
  it('exports the read path counters, breaker states and L1 counters at scrape time', async () => {
    const registry = new MetricsRegistry('test');
    const store = storeWith(() => ({ hits: 7, misses: 3, evictions: 1, size: 9 }));
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
    expect(counter(text, 'bnpl_online_store_l1_hits_total')).toBe(7);
    expect(counter(text, 'bnpl_online_store_l1_entries')).toBe(9);
    await useCase.close();
    await registry.shutdown();
  });

  it('adds no L1 series for a store without a cache', async () => {
    const registry = new MetricsRegistry('test');
    const store = storeWith();
    const useCase = new GetOnlineFeatures(bnplCatalog, store, source);
    registerServingMetrics(registry.meter, useCase, store);
    const text = await registry.render();
    expect(text).toContain('bnpl_serving_requests_total 0');
    expect(text).not.toContain('bnpl_online_store_l1');
    await useCase.close();
    await registry.shutdown();
  });
});
