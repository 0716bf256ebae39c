/**
 * Command-line arguments of the serving benchmark -> options. Pure (argv in, options or UsageError out),
 * so the validation is unit-tested; serving.ts maps a UsageError to exit code 2 and the usage text.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseCommandLine, parseIntegerFlag, UsageError } from '@bnpl/command-line';
import { OPEN_LOOP_RATE, SCENARIOS, isScenarioName, type ScenarioName } from './scenarios/scenario-names';

export const USAGE = `Usage: npm run bench:serving -- [options]
   or: node -r ./tools/register.cjs tools/bench/src/serving.ts [options]

Benchmarks online serving on this machine: starts PostgreSQL and redis-server, generates the customers,
fills Redis, starts rest-gateway, grpc-serving and a bare Fastify baseline, runs the scenarios and writes
a JSON report. Exit code 0 even when a target is missed; 1 when the benchmark itself failed.

Options:
  --customers <n>     customers to generate and serve (default 100000, at least 100)
  --duration <s>      measured seconds per scenario (default 15)
  --warmup <s>        unmeasured seconds before each scenario (default 3)
  --concurrency <n>   closed-loop workers and HTTP connections (default 32)
  --zipf <s>          Zipf exponent of the customer ids (default 0.99; 0 is uniform)
  --seed <n>          seed of the id sequence (default 1)
  --report <path>     JSON report (default tools/bench/reports/serving.json)
  --data-dir <dir>    keep PostgreSQL's data here and reuse it when it holds --customers customers
                      (default: a temporary directory; when run as root, every parent must be
                      readable by the postgres user)
  --scenarios <list>  comma-separated, default all: ${SCENARIOS.join(', ')}
  -h, --help          this text`;

export { UsageError };

export interface BenchOptions {
  readonly customers: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly concurrency: number;
  readonly zipfExponent: number;
  readonly seed: number;
  readonly reportPath: string;
  readonly dataDir?: string;
  /** In run order. */
  readonly scenarios: readonly ScenarioName[];
}

export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: BenchOptions };

/** A batch scenario asks for 100 different customers per call. */
const MIN_CUSTOMERS = 100;

/** The flags as given, by commander's attribute name: text, checked by parseCliArgs. */
type RawFlags = Partial<Record<'customers' | 'duration' | 'warmup' | 'concurrency' | 'zipf' | 'seed' | 'report' | 'dataDir' | 'scenarios', string>> & { help?: true };

/** Parses argv (without node and the script); `root` resolves the default report path. */
export function parseCliArgs(argv: readonly string[], root: string): CliCommand {
  // Values are read as text and checked below, in a fixed order, with messages naming the flag; USAGE is the help.
  const program = new Command('bench:serving')
    .helpOption(false)
    .option('--customers <value>')
    .option('--duration <value>')
    .option('--warmup <value>')
    .option('--concurrency <value>')
    .option('--zipf <value>')
    .option('--seed <value>')
    .option('--report <value>')
    .option('--data-dir <value>')
    .option('--scenarios <value>')
    .option('-h, --help');
  const line = parseCommandLine<RawFlags>(program, argv);
  if (line.kind === 'help' || line.options.help) return { kind: 'help' };
  const values = line.options;
  return {
    kind: 'run',
    options: {
      customers: integer('--customers', values.customers, 100_000, MIN_CUSTOMERS),
      durationSeconds: number('--duration', values.duration, 15, false),
      warmupSeconds: number('--warmup', values.warmup, 3, true),
      concurrency: integer('--concurrency', values.concurrency, 32, 1),
      zipfExponent: number('--zipf', values.zipf, 0.99, true),
      seed: integer('--seed', values.seed, 1, 0),
      reportPath: values.report === undefined ? resolve(root, 'tools/bench/reports/serving.json') : resolve(nonEmpty('--report', values.report)),
      ...(values.dataDir === undefined ? {} : { dataDir: resolve(nonEmpty('--data-dir', values.dataDir)) }),
      scenarios: scenarioList(values.scenarios),
    },
  };
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number): number {
  return raw === undefined ? fallback : parseIntegerFlag(flag, raw, min);
}

function number(flag: string, raw: string | undefined, fallback: number, zeroAllowed: boolean): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new UsageError(`${flag} must be a number ${zeroAllowed ? '>= 0' : '> 0'}, got "${raw}"`);
  }
  return n;
}

function nonEmpty(flag: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return raw;
}

function scenarioList(raw: string | undefined): ScenarioName[] {
  if (raw === undefined) return [...SCENARIOS];
  const asked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (asked.length === 0) throw new UsageError('--scenarios is empty');
  const unknown = asked.filter((s) => !isScenarioName(s));
  if (unknown.length > 0) throw new UsageError(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  for (const name of asked as ScenarioName[]) {
    const source = OPEN_LOOP_RATE[name]?.from;
    if (source && !asked.includes(source)) throw new UsageError(`scenario ${name} takes its rate from ${source}: add ${source} to --scenarios`);
  }
  return SCENARIOS.filter((s) => asked.includes(s));
}
