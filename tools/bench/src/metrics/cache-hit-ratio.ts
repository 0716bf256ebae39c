import { sumSamples } from './prometheus-text';

/** The counters the hit ratios are computed from (pairs are (entity, stored view) lookups). */
export const CACHE_COUNTERS = {
  onlineHits: 'bnpl_serving_online_hits_total',
  onlineMisses: 'bnpl_serving_online_misses_total',
  onlineFailures: 'bnpl_serving_online_failures_total',
  l1Hits: 'bnpl_online_store_l1_hits_total',
  l1Misses: 'bnpl_online_store_l1_misses_total',
} as const;

export type CacheCounters = Record<keyof typeof CACHE_COUNTERS, number>;

/** A service's counters, or why they could not be read. */
export type CounterScrape = { readonly counters: CacheCounters } | { readonly unavailable: string };

/** A ratio, or null with the reason it could not be computed. */
export interface Ratio {
  readonly value: number | null;
  readonly reason?: string;
}

export interface CacheHitRatios {
  /** Pairs served by the online store (L1 or Redis) out of all pairs looked up. */
  readonly overall: Ratio;
  /** Pairs served by the in-process L1 cache out of those it was asked for. */
  readonly l1: Ratio;
  /** Counter increases over the measured scenarios, per service. */
  readonly deltas: Readonly<Record<string, CacheCounters | { readonly unavailable: string }>>;
}

/** Reads the cache counters from a service's `GET /metrics`; never throws. */
export async function scrapeCacheCounters(metricsUrl: string): Promise<CounterScrape> {
  let text: string;
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return { unavailable: `GET ${metricsUrl} answered ${response.status}` };
    text = await response.text();
  } catch (error) {
    return { unavailable: `GET ${metricsUrl} failed: ${(error as Error).message}` };
  }
  const sums = sumSamples(text, Object.values(CACHE_COUNTERS));
  const missing = Object.values(CACHE_COUNTERS).filter((name) => !sums.has(name));
  if (missing.length > 0) return { unavailable: `${metricsUrl} does not expose ${missing.join(', ')}` };
  const counters = {} as CacheCounters;
  for (const [key, name] of Object.entries(CACHE_COUNTERS) as Array<[keyof CacheCounters, string]>) counters[key] = sums.get(name) ?? 0;
  return { counters };
}

/**
 * Hit ratios over the increase of each service's counters between two scrapes, summed over services.
 * A service whose counters are unavailable makes both ratios null (a partial sum would misreport).
 */
export function cacheHitRatios(before: Readonly<Record<string, CounterScrape>>, after: Readonly<Record<string, CounterScrape>>): CacheHitRatios {
  const deltas: Record<string, CacheCounters | { unavailable: string }> = {};
  const reasons: string[] = [];
  const total: CacheCounters = { onlineHits: 0, onlineMisses: 0, onlineFailures: 0, l1Hits: 0, l1Misses: 0 };
  for (const service of Object.keys(after)) {
    const [b, a] = [before[service], after[service]];
    if (!b || 'unavailable' in b || 'unavailable' in a) {
      const reason = `${service}: ${a && 'unavailable' in a ? a.unavailable : b && 'unavailable' in b ? b.unavailable : 'not scraped before the load'}`;
      deltas[service] = { unavailable: reason };
      reasons.push(reason);
      continue;
    }
    const d = {} as CacheCounters;
    for (const key of Object.keys(total) as Array<keyof CacheCounters>) {
      d[key] = a.counters[key] - b.counters[key];
      total[key] += d[key];
    }
    deltas[service] = d;
  }
  const ratio = (hits: number, all: number, what: string): Ratio => {
    if (reasons.length > 0) return { value: null, reason: reasons.join('; ') };
    if (all === 0) return { value: null, reason: `no ${what} counted during the load` };
    return { value: Math.round((hits / all) * 1e6) / 1e6 };
  };
  return {
    overall: ratio(total.onlineHits, total.onlineHits + total.onlineMisses + total.onlineFailures, 'online store lookups'),
    l1: ratio(total.l1Hits, total.l1Hits + total.l1Misses, 'L1 lookups'),
    deltas,
  };
}
