import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname } from 'node:path';
import { type SourceTableCounts } from '@bnpl/postgres';
import { type BenchOptions } from '../cli-args';
import { type CacheHitRatios } from '../metrics/cache-hit-ratio';
import { type PrefillStats } from '../prefill-online-store';
import { type RedisDownOutcome } from '../scenarios/run-scenarios';
import { type ScenarioName } from '../scenarios/scenario-names';
import { type RedisStats } from '../stack/redis-stats';
import { isSkipped, type ScenarioOutcome } from './scenario-result';
import { type TargetResult } from './targets';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run started: anything much above 0 means the figures are suspect. */
  readonly loadAverageAtStart: number;
}

/** The JSON report of one run. */
export interface BenchReport {
  readonly benchmark: 'serving';
  /** The command that produced this report. */
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly parameters: BenchOptions & { readonly merchants: number; readonly l1Cache: { readonly maxEntries: number; readonly ttlMs: number } };
  readonly setup: {
    readonly sourceRows: SourceTableCounts;
    /** null when an existing --data-dir already held the customers. */
    readonly generationSeconds: number | null;
    readonly prefill: PrefillStats;
    /** After the prefill. */
    readonly redis: RedisStats;
  };
  readonly scenarios: Partial<Record<ScenarioName, ScenarioOutcome>>;
  readonly ratios: { readonly restToBaselineThroughput: number | null };
  readonly cacheHitRatio: CacheHitRatios | null;
  readonly redisDown: RedisDownOutcome | null;
  readonly targets: readonly TargetResult[];
  /** The last lines the services logged (warn level and above) by the end of the run. */
  readonly serviceLogTail: Readonly<Record<string, readonly string[]>>;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    cpuCount: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** REST saturation throughput over the baseline's, when both ran. */
export function restToBaseline(scenarios: BenchReport['scenarios']): number | null {
  const [rest, baseline] = [scenarios['rest-closed'], scenarios['baseline-rest-closed']];
  if (isSkipped(rest) || isSkipped(baseline) || baseline.throughputRps === 0) return null;
  return Math.round((rest.throughputRps / baseline.throughputRps) * 1000) / 1000;
}

export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
