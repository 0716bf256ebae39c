import { cpuUsPerRequest, formatVerdicts, reportedFigure, halfRate, p99AgainstBaselineTarget, p99LimitTarget, rowsPerSecondTarget, summariseSide, throughputShareTarget, type HotPathRun, type SideSummary } from './hot-path-goals';
import { median } from '../access-control/comparison';

const run = (throughputRps: number, p99Ms: number, extra: Partial<HotPathRun> = {}): HotPathRun => ({
  requests: throughputRps * 8,
  failures: 0,
  seconds: 8,
  throughputRps,
  p50Ms: p99Ms / 2,
  p99Ms,
  serverCpuUsPerRequest: 300,
  generatorCpuUsPerRequest: 40,
  ...extra,
});
const side = (throughputRps: number, p99Ms: number, failures = 0): SideSummary => ({ runs: 1, throughputRps, p99Ms, failures, serverCpuUsPerRequest: null, generatorCpuUsPerRequest: null });

describe('summariseSide', () => {
  it('takes medians over the rounds and sums failures', () => {
    expect(summariseSide([run(100, 5), run(300, 1, { failures: 2, serverCpuUsPerRequest: 500 }), run(200, 3)])).toEqual({
      runs: 3,
      throughputRps: 200,
      p99Ms: 3,
      failures: 2,
      serverCpuUsPerRequest: 300,
      generatorCpuUsPerRequest: 40,
    });
  });

  it('has no CPU figure when a run has none', () => {
    expect(summariseSide([run(100, 5), run(100, 5, { generatorCpuUsPerRequest: null })]).generatorCpuUsPerRequest).toBeNull();
  });

  it('has an even count\'s median between the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('figures', () => {
  it('gives CPU µs per request from a share of a core', () => {
    expect(cpuUsPerRequest(50, 8, 4_000)).toBe(1_000);
    expect(cpuUsPerRequest(null, 8, 4_000)).toBeNull();
    expect(cpuUsPerRequest(50, 8, 0)).toBeNull();
  });

  it('halves a saturation rate, never to 0', () => {
    expect(halfRate(3_001)).toBe(1_501);
    expect(halfRate(0.4)).toBe(1);
  });
});

describe('goals', () => {
  it('judges the throughput share at 70 %', () => {
    expect(throughputShareTarget('REST', side(700, 2), side(1_000, 1)).met).toBe(true);
    const missed = throughputShareTarget('REST', side(699, 2), side(1_000, 1));
    expect(missed).toMatchObject({ met: false, goal: '>= 70 %', measured: '69.9 % (699 / 1000 req/s)' });
  });

  it('does not judge a run with failures', () => {
    const target = throughputShareTarget('gRPC', side(900, 2, 3), side(1_000, 1));
    expect(target.met).toBe(false);
    expect(target.measured).toContain('3 failed');
  });

  it('judges the p99 against twice the baseline\'s', () => {
    expect(p99AgainstBaselineTarget('REST', 500, side(0, 4), side(0, 2)).met).toBe(true);
    expect(p99AgainstBaselineTarget('REST', 500, side(0, 4.1), side(0, 2))).toMatchObject({ met: false, measured: '4.1 ms vs 2 ms (2.05x)' });
  });

  it('judges rows/s against three times the reference', () => {
    expect(rowsPerSecondTarget('gRPC 100', 192_000, 64_000).met).toBe(true);
    expect(rowsPerSecondTarget('gRPC 100', 191_999, 64_000)).toMatchObject({ met: false, goal: '>= 3x 64000 = 192000 rows/s' });
  });

  it('judges a p99 limit', () => {
    expect(p99LimitTarget('gRPC 100', 900, side(0, 15), 15).met).toBe(true);
    expect(p99LimitTarget('gRPC 100', 900, side(0, 15.01), 15).met).toBe(false);
  });

  it('prints met and MISSED', () => {
    const text = formatVerdicts([throughputShareTarget('REST', side(800, 2), side(1_000, 1)), p99LimitTarget('gRPC 100', 900, side(0, 20), 15)]);
    expect(text).toBe('met     REST throughput, service / baseline: 80.0 % (800 / 1000 req/s) (goal >= 70 %)\nMISSED  gRPC 100 p99 at 900 calls/s (half of saturation): 20 ms (goal <= 15 ms)');
    expect(formatVerdicts([reportedFigure('REST CPU per request', '278 µs')])).toBe('info    REST CPU per request: 278 µs');
  });
});
