import { median, type MeasuredRun, type Target } from '../access-control/comparison';

/** One measured run of the hot-path benchmark, whatever generated the load. */
export interface HotPathRun extends MeasuredRun {
  /** The load generator's CPU (wrk, h2load or this process) per answered request, in µs; null without /proc. */
  readonly generatorCpuUsPerRequest: number | null;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Medians over the rounds of one side (a service or its baseline). */
export interface SideSummary {
  readonly runs: number;
  readonly throughputRps: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly serverCpuUsPerRequest: number | null;
  readonly generatorCpuUsPerRequest: number | null;
}

export function summariseSide(runs: readonly HotPathRun[]): SideSummary {
  const cpu = (pick: (r: HotPathRun) => number | null) => (runs.length > 0 && runs.every((r) => pick(r) !== null) ? round(median(runs.map((r) => pick(r) as number)), 1) : null);
  return {
    runs: runs.length,
    throughputRps: round(median(runs.map((r) => r.throughputRps)), 1),
    p99Ms: round(median(runs.map((r) => r.p99Ms))),
    failures: runs.reduce((n, r) => n + r.failures, 0),
    serverCpuUsPerRequest: cpu((r) => r.serverCpuUsPerRequest),
    generatorCpuUsPerRequest: cpu((r) => r.generatorCpuUsPerRequest),
  };
}

/** CPU µs per answered request from a CPU share (percent of one core) over a run; null when unknown. */
export function cpuUsPerRequest(percent: number | null, seconds: number, requests: number): number | null {
  return percent === null || requests === 0 ? null : Math.round(((percent / 100) * seconds * 1e6) / requests);
}

/** Half a saturation rate, the rate the latency goals are measured at (at least 1 request/s). */
export const halfRate = (saturationRps: number): number => Math.max(1, Math.round(saturationRps / 2));

const failed = (...sides: SideSummary[]) => sides.reduce((n, s) => n + s.failures, 0);
const failureNote = (n: number) => (n > 0 ? `; ${n} failed: no judgement` : '');

/** Service throughput / baseline throughput >= `minRatio` (0.70). A run with failures is not met. */
export function throughputShareTarget(name: string, service: SideSummary, baseline: SideSummary, minRatio = 0.7, unit = 'req/s'): Target {
  const ratio = service.throughputRps / baseline.throughputRps;
  return {
    target: `${name} throughput, service / baseline`,
    goal: `>= ${(minRatio * 100).toFixed(0)} %`,
    measured: `${(ratio * 100).toFixed(1)} % (${service.throughputRps} / ${baseline.throughputRps} ${unit})${failureNote(failed(service, baseline))}`,
    met: Number.isFinite(ratio) && ratio >= minRatio && failed(service, baseline) === 0,
  };
}

/** Service p99 <= `maxFactor` x the baseline's p99, both at the same fixed rate. */
export function p99AgainstBaselineTarget(name: string, rateRps: number, service: SideSummary, baseline: SideSummary, maxFactor = 2): Target {
  const factor = service.p99Ms / baseline.p99Ms;
  return {
    target: `${name} p99 at ${rateRps} req/s (half of the service's saturation), service vs baseline`,
    goal: `<= ${maxFactor}x the baseline's`,
    measured: `${service.p99Ms} ms vs ${baseline.p99Ms} ms (${factor.toFixed(2)}x)${failureNote(failed(service, baseline))}`,
    met: Number.isFinite(factor) && factor <= maxFactor && failed(service, baseline) === 0,
  };
}

/** Customer rows served per second >= `factor` x a reference figure (today's). */
export function rowsPerSecondTarget(name: string, rowsPerSecond: number, referenceRows: number, factor = 3, failures = 0): Target {
  return {
    target: `${name} customer rows/s at saturation`,
    goal: `>= ${factor}x ${referenceRows} = ${factor * referenceRows} rows/s`,
    measured: `${Math.round(rowsPerSecond)} rows/s (${(rowsPerSecond / referenceRows).toFixed(2)}x the reference)${failureNote(failures)}`,
    met: rowsPerSecond >= factor * referenceRows && failures === 0,
  };
}

/** p99 at a fixed rate <= a limit in ms. */
export function p99LimitTarget(name: string, rateRps: number, side: SideSummary, limitMs: number): Target {
  return {
    target: `${name} p99 at ${rateRps} calls/s (half of saturation)`,
    goal: `<= ${limitMs} ms`,
    measured: `${side.p99Ms} ms${failureNote(side.failures)}`,
    met: side.p99Ms <= limitMs && side.failures === 0,
  };
}

/** A figure reported beside the goals, judged by nobody. */
export function reportedFigure(target: string, measured: string): Target {
  return { target, goal: '(report)', measured, met: true };
}

/** The verdicts as the other same-run benchmarks print them: met / MISSED, the target, measured, goal; `info` for a figure without a goal. */
export function formatVerdicts(targets: readonly Target[]): string {
  // A figure reported without a goal is neither met nor missed: `info`.
  return targets.map((t) => (t.goal === '(report)' ? `info    ${t.target}: ${t.measured}` : `${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured} (goal ${t.goal})`)).join('\n');
}
