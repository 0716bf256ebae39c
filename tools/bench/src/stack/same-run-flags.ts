import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseIntegerFlag, UsageError } from '@bnpl/command-line';
import { WORKSPACE_ROOT } from '@bnpl/testing';

/** The flags every same-run benchmark takes. */
export interface SameRunOptions {
  customers: number;
  duration: number;
  rounds: number;
  dataDir?: string;
  report: string;
}

/**
 * The command line of a same-run benchmark (`tools/bench/src/<name>-bench.ts`): --customers, --duration,
 * --rounds, --data-dir and --report (default `tools/bench/reports/<name>.json`); add its own flags to it.
 */
export function sameRunCommand(name: string): Command {
  return new Command(`${name}-bench`)
    .option('--customers <n>', 'generated customers', '10000')
    .option('--duration <seconds>', 'seconds per measured run', '8')
    .option('--rounds <n>', 'rounds of each pair of runs, alternating which goes first (medians are reported)', '3')
    .option('--data-dir <dir>', 'keep the generated database here between runs')
    .option('--report <file>', 'JSON report', join(WORKSPACE_ROOT, `tools/bench/reports/${name}.json`));
}

/** The common flags' values, checked (UsageError naming a bad one). */
export function sameRunOptions(parsed: Readonly<Record<string, unknown>>): SameRunOptions {
  const dataDir = parsed['dataDir'];
  return {
    customers: parseIntegerFlag('--customers', String(parsed['customers']), 100),
    duration: parseIntegerFlag('--duration', String(parsed['duration']), 2),
    rounds: parseIntegerFlag('--rounds', String(parsed['rounds']), 1),
    ...(typeof dataDir === 'string' && dataDir !== '' ? { dataDir: resolve(dataDir) } : {}),
    report: resolve(String(parsed['report'])),
  };
}

/** `--only rest|grpc`. */
export function onlyFlag(value: string): 'rest' | 'grpc' {
  if (value !== 'rest' && value !== 'grpc') throw new UsageError(`--only must be rest or grpc, got "${value}"`);
  return value;
}
