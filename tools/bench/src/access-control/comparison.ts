import type { LoadResult } from './load-tools';

/** Runs of one interface with access control off and on, alternated in the same run. */
export interface OnOffRuns {
  readonly off: readonly LoadResult[];
  readonly on: readonly LoadResult[];
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
}

export interface Target {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

const median = (values: readonly number[]) => {
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
  return { offRps: round(offRps, 1), onRps: round(onRps, 1), offP99Ms: round(offP99Ms), onP99Ms: round(onP99Ms), throughputRatio: round(onRps / offRps), p99Ratio: round(onP99Ms / offP99Ms) };
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
}

export function accuracyTarget(result: AccuracyResult): Target {
  return {
    target: `rate-limit accuracy, ${result.instances} gateway instances`,
    goal: 'admitted within 5 % of the limit',
    measured: `${result.admittedPerSecond.toFixed(1)}/s for a limit of ${result.limitPerSecond}/s (${((result.ratio - 1) * 100).toFixed(1)} %), ${result.offered} offered`,
    met: Math.abs(result.ratio - 1) <= 0.05,
  };
}

/** The table printed at the end of a run. */
export function formatTargets(targets: readonly Target[]): string {
  const rows = targets.map((t) => [t.target, t.measured, t.goal, t.met ? 'met' : 'NOT met']);
  const header = ['target', 'measured', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
