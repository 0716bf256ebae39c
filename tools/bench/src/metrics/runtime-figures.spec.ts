import { runtimeDuring } from './runtime-figures';

const scrape = (gc: { major: [number, number, number, number, number]; minor: [number, number, number, number, number] }, delay?: { max: number; p99: number }) =>
  [
    '# HELP v8js_gc_duration Garbage collection duration by kind',
    ...Object.entries(gc).flatMap(([kind, [within10, within100, all, sum, count]]) => [
      `v8js_gc_duration_bucket{v8js_gc_type="${kind}",le="0.01"} ${within10}`,
      `v8js_gc_duration_bucket{v8js_gc_type="${kind}",le="0.1"} ${within100}`,
      `v8js_gc_duration_bucket{v8js_gc_type="${kind}",le="+Inf"} ${all}`,
      `v8js_gc_duration_sum{v8js_gc_type="${kind}"} ${sum}`,
      `v8js_gc_duration_count{v8js_gc_type="${kind}"} ${count}`,
    ]),
    ...(delay ? [`nodejs_eventloop_delay_max ${delay.max}`, `nodejs_eventloop_delay_p99 ${delay.p99}`] : []),
  ].join('\n');

describe('runtimeDuring', () => {
  it('gives the GC pauses between two scrapes by kind, with those over 10 and 100 ms, and the event-loop delay of the second', () => {
    const before = scrape({ major: [1, 2, 2, 0.05, 2], minor: [10, 10, 10, 0.02, 10] });
    const after = scrape({ major: [1, 4, 5, 0.35, 5], minor: [30, 31, 31, 0.09, 31] }, { max: 0.0739, p99: 0.035 });
    expect(runtimeDuring(before, after)).toEqual({
      eventLoopDelayMaxMs: 73.9,
      eventLoopDelayP99Ms: 35,
      gc: { major: { pauses: 3, totalMs: 300, over10Ms: 3, over100Ms: 1 }, minor: { pauses: 21, totalMs: 70, over10Ms: 1, over100Ms: 0 } },
    });
  });

  it('leaves out kinds without pauses in between, and says null for a delay the runtime did not report', () => {
    const same = scrape({ major: [0, 1, 1, 0.02, 1], minor: [5, 5, 5, 0.01, 5] });
    expect(runtimeDuring(same, same)).toEqual({ eventLoopDelayMaxMs: null, eventLoopDelayP99Ms: null, gc: {} });
  });
});
