import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT_USAGE, UsageError } from '@bnpl/command-line';
import { Cleanups } from './cleanups';

/** What one same-run benchmark command needs: how to read its flags, run, and print its verdicts. */
export interface BenchCommand<O extends { readonly report: string }, R> {
  /** `bench:<name>` prefixes its log lines; `tools/bench/src/<name>-bench.ts` is its file. */
  readonly name: string;
  readonly parseOptions: (argv: readonly string[]) => O | 'help';
  readonly benchmark: (options: O, argv: readonly string[], cleanups: Cleanups) => Promise<R>;
  /** The goals, measured against each, printed after the run. */
  readonly summary: (report: R) => string;
}

/**
 * The life of a benchmark command: flags (usage errors exit 2), the run with everything it started
 * stopped afterwards (on SIGINT too), the JSON report written and its verdicts printed. Exit code 1 if the
 * run failed.
 */
export async function runBenchCommand<O extends { readonly report: string }, R>(command: BenchCommand<O, R>, argv: readonly string[]): Promise<number> {
  const log = (message: string) => process.stdout.write(`[bench:${command.name}] ${message}\n`);
  let options: O | 'help';
  try {
    options = command.parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    process.stdout.write(`see the comment at the top of tools/bench/src/${command.name}-bench.ts and tools/bench/README.md\n`);
    return 0;
  }
  const cleanups = new Cleanups();
  cleanups.exitOnSignals(log);
  try {
    const report = await command.benchmark(options, argv, cleanups);
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${command.summary(report)}\n`);
    log(`report written to ${options.report}`);
    return 0;
  } catch (error) {
    process.stderr.write(`[bench:${command.name}] failed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await cleanups.runAll(log);
  }
}
