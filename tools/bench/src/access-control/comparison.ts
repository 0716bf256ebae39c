import type { LoadResult } from './load-tools';

/** A load run with the server's CPU time per answered request (from /proc), when it could be read. */
export type MeasuredRun = LoadResult & { readonly serverCpuUsPerRequest: number | null };

/** Runs of one interface with access control off and on, alternated in the same run. */
export interface OnOffRuns {
  readonly off: readonly MeasuredRun[];
  readonly on: readonly MeasuredRun[];
}

export interface OnOffSummary {
  /** Medians over the rounds. */
  readonly offRps: number;
  readonly onRps: number;
  readonly offP99Ms: number;
  readonly onP99Ms: number;
  /** on / off. */
  readonly throughputRatio: number;
  /** on / off. */
  readonly p99Ratio: number;
  /** Medians of the server's CPU per answered request, and on / off; null without /proc. */
  readonly offCpuUsPerRequest: number | null;
  readonly onCpuUsPerRequest: number | null;
  readonly cpuRatio: number | null;
}

export interface Target {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export const median = (values: readonly number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function summarise(runs: OnOffRuns): OnOffSummary {
  const offRps = median(runs.off.map((r) => r.throughputRps));
  const onRps = median(runs.on.map((r) => r.throughputRps));
  const offP99Ms = median(runs.off.map((r) => r.p99Ms));
  const onP99Ms = median(runs.on.map((r) => r.p99Ms));
  const cpu = (runs: readonly MeasuredRun[]) => (runs.every((r) => r.serverCpuUsPerRequest !== null) ? median(runs.map((r) => r.serverCpuUsPerRequest as number)) : null);
  const [offCpu, onCpu] = [cpu(runs.off), cpu(runs.on)];
  return {
    offRps: round(offRps, 1),
    onRps: round(onRps, 1),
    offP99Ms: round(offP99Ms),
    onP99Ms: round(onP99Ms),
    throughputRatio: round(onRps / offRps),
    p99Ratio: round(onP99Ms / offP99Ms),
    offCpuUsPerRequest: offCpu === null ? null : round(offCpu, 1),
    onCpuUsPerRequest: onCpu === null ? null : round(onCpu, 1),
    cpuRatio: offCpu === null || onCpu === null ? null : round(onCpu / offCpu),
  };
}

/** The design's goals for access control: >= 95 % of the throughput, p99 within 10 %. */
export function onOffTargets(name: string, summary: OnOffSummary): Target[] {
  return [
    {
      target: `${name} throughput, access control on / off`,
      goal: '>= 95 %',
      measured: `${(summary.throughputRatio * 100).toFixed(1)} % (${summary.onRps} / ${summary.offRps} req/s)`,
      met: summary.throughputRatio >= 0.95,
    },
    {
      target: `${name} p99, access control on vs off`,
      goal: 'within +10 %',
      measured: `${summary.onP99Ms} ms vs ${summary.offP99Ms} ms (${summary.p99Ratio >= 1 ? '+' : ''}${((summary.p99Ratio - 1) * 100).toFixed(1)} %)`,
      met: summary.p99Ratio <= 1.1,
    },
    // On a machine other work shares, throughput follows what the others leave to the server; the server's
    // CPU per request does not, and 95 % of the throughput when the server is the limit is 1/0.95 of it.
    ...(summary.cpuRatio === null
      ? []
      : [
          {
            target: `${name} server CPU per request, on / off`,
            goal: '<= 105.3 % (95 % throughput at saturation)',
            measured: `${(summary.cpuRatio * 100).toFixed(1)} % (${summary.onCpuUsPerRequest} / ${summary.offCpuUsPerRequest} µs)`,
            met: summary.cpuRatio <= 1 / 0.95,
          },
        ]),
  ];
}

export interface AccuracyResult {
  readonly limitPerSecond: number;
  readonly instances: number;
  readonly windowSeconds: number;
  /** Admitted by all instances over the window, from their own counters. */
  readonly admitted: number;
  readonly admittedPerSecond: number;
  /** admittedPerSecond / limitPerSecond. */
  readonly ratio: number;
  /** Requests the load generators sent over the whole run, and how many got 429. */
  readonly offered: number;
  readonly limited: number;
  /** offered per second of load: it must be well above the limit for the test to say anything. */
  readonly offeredPerSecond: number;
  /** Calls of the shared budget that failed (Redis too slow or down): each instance then counted alone, failing open. */
  readonly storeFailures: number;
}

export function accuracyTarget(result: AccuracyResult): Target {
  // A client asking for less than its limit is simply served: the limiter is only tested above it.
  const saturated = result.offeredPerSecond >= 1.2 * result.limitPerSecond;
  return {
    target: `rate-limit accuracy, ${result.instances} gateway instances`,
    goal: 'admitted within 5 % of the limit',
    measured: `${result.admittedPerSecond.toFixed(1)}/s for a limit of ${result.limitPerSecond}/s (${((result.ratio - 1) * 100).toFixed(1)} %), ${result.offeredPerSecond.toFixed(0)}/s offered${result.storeFailures ? `, ${result.storeFailures} budget calls failed open` : ''}${saturated ? '' : ': NOT SATURATED, no judgement (lower --rate-limit)'}`,
    met: saturated && Math.abs(result.ratio - 1) <= 0.05,
  };
}

/** The table printed at the end of a run. */
export function formatTargets(targets: readonly Target[]): string {
  const rows = targets.map((t) => [t.target, t.measured, t.goal, t.met ? 'met' : 'NOT met']);
  const header = ['target', 'measured', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
