import { cacheHitRatios, type CacheCounters } from './cache-hit-ratio';

const counters = (c: Partial<CacheCounters>): { counters: CacheCounters } => ({
  counters: { onlineHits: 0, onlineMisses: 0, onlineFailures: 0, l1Hits: 0, l1Misses: 0, ...c },
});

describe('cacheHitRatios', () => {
  it('computes both ratios over the counters increase, summed over services', () => {
    const ratios = cacheHitRatios(
      { rest: counters({ onlineHits: 100, l1Hits: 50, l1Misses: 50 }), grpc: counters({}) },
      {
        rest: counters({ onlineHits: 1_090, onlineMisses: 5, onlineFailures: 5, l1Hits: 950, l1Misses: 150 }),
        grpc: counters({ onlineHits: 900, l1Hits: 800, l1Misses: 100 }),
      },
    );
    // (990 + 900) / (990 + 5 + 5 + 900)
    expect(ratios.overall.value).toBeCloseTo(1890 / 1900, 6);
    // (900 + 800) / (900 + 100 + 800 + 100)
    expect(ratios.l1.value).toBeCloseTo(1700 / 1900, 6);
    expect(ratios.deltas.rest).toEqual({ onlineHits: 990, onlineMisses: 5, onlineFailures: 5, l1Hits: 900, l1Misses: 100 });
  });

  it('is null with the reason when a service has no metrics or nothing was counted', () => {
    const missing = cacheHitRatios({ rest: { unavailable: 'GET /metrics answered 404' } }, { rest: { unavailable: 'GET /metrics answered 404' } });
    expect(missing.overall).toEqual({ value: null, reason: 'rest: GET /metrics answered 404' });
    expect(missing.l1.value).toBeNull();
    const idle = cacheHitRatios({ rest: counters({}) }, { rest: counters({}) });
    expect(idle.overall).toEqual({ value: null, reason: 'no online store lookups counted during the load' });
  });
});
