/**
 * CLI entry point: node -r ./tools/register.cjs tools/data-generator/src/main.ts --help
 * The only place in this tool that reads process.argv / process.env or decides the exit code.
 */
import { parseCliArgs, USAGE, UsageError } from './cli-args';
import { DataGeneratorError, generateDataset } from './generate';
import { createProgressReporter, formatSummary } from './progress-reporter';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgressReporter(process.stderr);
  try {
    const summary = await generateDataset({ ...command.options, signal: abort.signal }, (p) => progress.update(p));
    progress.stop();
    process.stdout.write(formatSummary(summary));
    return 0;
  } catch (error) {
    progress.stop();
    if (error instanceof DataGeneratorError && error.reason === 'TABLES_NOT_EMPTY' && command.ifEmpty) {
      process.stdout.write(`${error.message.split('.')[0]}: nothing generated (--if-empty)\n`);
      return 0;
    }
    if (error instanceof DataGeneratorError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (error.reason === 'INVALID_OPTIONS') return EXIT_USAGE;
      if (error.reason === 'ABORTED') return EXIT_INTERRUPTED;
      return EXIT_FAILED;
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
