import { accuracyTarget, formatTargets, onOffTargets, summarise } from './comparison';
import type { MeasuredRun } from './comparison';

const run = (throughputRps: number, p99Ms: number, serverCpuUsPerRequest: number | null = null): MeasuredRun => ({ requests: 0, failures: 0, seconds: 8, throughputRps, p50Ms: 1, p99Ms, serverCpuUsPerRequest });

describe('access-control comparison', () => {
  it('takes medians over rounds and compares on with off', () => {
    const summary = summarise({ off: [run(1000, 10), run(1100, 12), run(900, 11)], on: [run(980, 10.5), run(1000, 11), run(950, 13)] });
    expect(summary).toEqual({ offRps: 1000, onRps: 980, offP99Ms: 11, onP99Ms: 11, throughputRatio: 0.98, p99Ratio: 1, offCpuUsPerRequest: null, onCpuUsPerRequest: null, cpuRatio: null });
    expect(onOffTargets('REST', summary).map((t) => t.met)).toEqual([true, true]);
  });

  it('compares the server CPU per request when it was measured', () => {
    const summary = summarise({ off: [run(1000, 10, 300), run(1000, 10, 320)], on: [run(990, 10, 318), run(990, 10, 330)] });
    expect(summary).toMatchObject({ offCpuUsPerRequest: 310, onCpuUsPerRequest: 324, cpuRatio: 1.045 });
    expect(onOffTargets('REST', summary).at(-1)).toMatchObject({ met: true, measured: '104.5 % (324 / 310 µs)' });
  });

  it('misses the goals beyond 5 % fewer requests or 10 % more p99', () => {
    const summary = summarise({ off: [run(1000, 10)], on: [run(940, 11.5)] });
    expect(onOffTargets('gRPC', summary).map((t) => [t.met, t.measured])).toEqual([
      [false, '94.0 % (940 / 1000 req/s)'],
      [false, '11.5 ms vs 10 ms (+15.0 %)'],
    ]);
  });

  it('judges rate-limit accuracy within 5 %', () => {
    const base = { limitPerSecond: 500, instances: 2, windowSeconds: 10, offered: 20_000, limited: 15_000, offeredPerSecond: 1_430, storeFailures: 0 };
    expect(accuracyTarget({ ...base, admitted: 4_900, admittedPerSecond: 490, ratio: 0.98 }).met).toBe(true);
    expect(accuracyTarget({ ...base, admitted: 5_400, admittedPerSecond: 540, ratio: 1.08 }).met).toBe(false);
    expect(accuracyTarget({ ...base, offeredPerSecond: 450, admitted: 4_500, admittedPerSecond: 450, ratio: 0.9 })).toMatchObject({ met: false, measured: expect.stringContaining('NOT SATURATED') });
    expect(formatTargets([accuracyTarget({ ...base, admitted: 4_900, admittedPerSecond: 490, ratio: 0.98 })]).split('\n')[1]).toMatch(/490\.0\/s for a limit of 500\/s \(-2\.0 %\).*met$/);
  });
});
