import { sumSamples } from './prometheus-text';

/** What the Node runtime reported between two scrapes: event-loop delay (since the first) and GC pauses by kind. */
export interface RuntimeDuring {
  readonly eventLoopDelayMaxMs: number | null;
  readonly eventLoopDelayP99Ms: number | null;
  /** By GC kind (major, minor, incremental, weakcb): pauses, their total, and how many took over 10 and 100 ms. */
  readonly gc: Record<string, { readonly pauses: number; readonly totalMs: number; readonly over10Ms: number; readonly over100Ms: number }>;
}

export function runtimeDuring(before: string, after: string): RuntimeDuring {
  const gauge = (name: string) => {
    const value = sumSamples(after, [name]).get(name);
    return value === undefined ? null : Math.round(value * 1e4) / 10;
  };
  const gcBefore = gcSeries(before);
  const gc: Record<string, RuntimeDuring['gc'][string]> = {};
  for (const [kind, a] of gcSeries(after)) {
    const b = gcBefore.get(kind) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
    const within = (le: number) => (a.buckets.get(le) ?? 0) - (b.buckets.get(le) ?? 0);
    const pauses = a.count - b.count;
    if (pauses > 0) gc[kind] = { pauses, totalMs: Math.round((a.sum - b.sum) * 1e4) / 10, over10Ms: pauses - within(0.01), over100Ms: pauses - within(0.1) };
  }
  return { eventLoopDelayMaxMs: gauge('nodejs_eventloop_delay_max'), eventLoopDelayP99Ms: gauge('nodejs_eventloop_delay_p99'), gc };
}

/** v8js_gc_duration's count, sum and cumulative buckets by `v8js_gc_type`. */
function gcSeries(text: string): Map<string, { count: number; sum: number; buckets: Map<number, number> }> {
  const series = new Map<string, { count: number; sum: number; buckets: Map<number, number> }>();
  for (const line of text.split('\n')) {
    const m = /^v8js_gc_duration(?:_seconds)?_(bucket|sum|count)\{([^}]*)\}\s+(\S+)/.exec(line);
    const kind = m ? /v8js_gc_type="([^"]+)"/.exec(m[2])?.[1] : undefined;
    if (!m || kind === undefined) continue;
    const entry = series.get(kind) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
    series.set(kind, entry);
    const value = Number(m[3]);
    if (m[1] === 'count') entry.count = value;
    else if (m[1] === 'sum') entry.sum = value;
    else {
      const le = /le="([^"]+)"/.exec(m[2])?.[1];
      if (le !== undefined) entry.buckets.set(le === '+Inf' ? Infinity : Number(le), value);
    }
  }
  return series;
}
