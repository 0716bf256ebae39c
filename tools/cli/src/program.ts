import { randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { ApiError, JobsApi, type JobView } from './api-client';
import { toJobBody, type JobOptions } from './job-body';
import { registerDecisionsCommand } from './decisions-command';
import { registerKeysCommand } from './keys-command';
import { registerSchedulesCommand } from './schedules-command';
import { submitJob } from './submit-job';
import { watchJob } from './watch-job';

export interface CliIo {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly err: NodeJS.WritableStream;
  /** Where the API is when `--api` is not given. */
  readonly defaultApi: string;
  /** The API key when `--api-key` is not given (BNPL_API_KEY). */
  readonly defaultApiKey?: string;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/**
 * The data engineers' CLI over the REST API: submit jobs and follow them with a progress bar, list,
 * show and cancel them. Exit codes: 0 done, 1 the job failed or was cancelled, 2 bad usage or the API
 * refused the request (its problem detail is printed).
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('bnpl-fs')
    .description('BNPL feature store: materialization, backfill and training-set jobs')
    .option('--api <url>', 'REST gateway base URL', io.defaultApi)
    .option('--api-key <key>', 'API key sent as x-api-key (default: $BNPL_API_KEY; prefer the variable: arguments show in ps)')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride()
    .showHelpAfterError();
  const api = () => {
    const options = program.opts<{ api: string; apiKey?: string }>();
    return new JobsApi(options.api.replace(/\/$/, ''), undefined, options.apiKey ?? io.defaultApiKey);
  };

  const print = (job: JobView): void => void io.out.write(`${JSON.stringify(job, null, 2)}\n`);
  const finish = (job: JobView) => {
    io.out.write(`job ${job.id} ${job.state}: ${job.shards_done}/${job.shards_total} shards, ${job.rows_done} rows${job.error ? ` (${job.error})` : ''}\n`);
    setExitCode(job.state === 'succeeded' ? 0 : 1);
  };
  const submit = async (kind: 'materialize' | 'backfill' | 'historical', options: JobOptions & { wait: boolean; idempotencyKey?: string }) => {
    // One key per logical submission: every retry below reuses it, so a lost answer never makes a second job.
    const key = options.idempotencyKey ?? randomUUID();
    const job = await submitJob(api(), toJobBody(kind, options), key);
    io.out.write(`submitted job ${job.id} (idempotency key ${key})\n`);
    if (options.wait) finish(await watchJob(api(), job.id, io.out));
  };

  program
    .command('materialize')
    .description('compute views as of now into the online and offline stores')
    .option('--views <list>', 'comma-separated stored views (default: all)')
    .option('--service <name>', "a feature service's views")
    .option('--incremental', 'only entities changed since the last successful run')
    .option('--shard-size <n>', 'entities per shard')
    .option('--no-wait', 'return once the job is submitted')
    .option('--idempotency-key <key>', 'name this submission (default: a new UUID); submitting again with it returns the same job')
    .action((options) => submit('materialize', options));

  program
    .command('backfill')
    .description('compute end-of-day values for past days into the offline store')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
    .option('--views <list>', 'comma-separated stored views (default: all)')
    .option('--service <name>', "a feature service's views")
    .option('--shard-size <n>', 'entities per shard')
    .option('--no-wait', 'return once the job is submitted')
    .option('--idempotency-key <key>', 'name this submission (default: a new UUID); submitting again with it returns the same job')
    .action((options) => submit('backfill', options));

  program
    .command('historical')
    .description('build a point-in-time-correct training set from the offline store')
    .requiredOption('--entities <file>', 'CSV or Parquet of entity rows (join keys, event_timestamp with its offset, labels), relative to the job files root')
    .requiredOption('--output <file>', 'where the training set goes (.parquet or .csv), relative to the job files root (or gs://bucket/path-*.parquet)')
    .option('--overwrite', 'replace the output if it exists (default: refused)')
    .option('--service <name>', 'a feature service')
    .option('--features <list>', 'comma-separated view:feature references')
    .option('--format <format>', 'parquet or csv (default: from --output)')
    .option('--no-wait', 'return once the job is submitted')
    .option('--idempotency-key <key>', 'name this submission (default: a new UUID); submitting again with it returns the same job')
    .action((options) => submit('historical', options));

  const jobs = program.command('jobs').description('list, show, follow and cancel jobs');
  jobs
    .command('list')
    .option('--state <state>', 'pending, running, succeeded, failed or cancelled')
    .option('--limit <n>', 'most jobs to list', positiveInt, 20)
    .option('--idempotency-key <key>', 'the job submitted with this key')
    .action(async (options: { state?: string; limit: number; idempotencyKey?: string }) => {
      for (const job of await api().list(options)) {
        io.out.write(`${job.id}  ${job.kind.padEnd(11)} ${job.state.padEnd(9)} ${`${job.shards_done}/${job.shards_total}`.padStart(9)} shards ${String(job.rows_done).padStart(12)} rows  ${job.created_at}\n`);
      }
    });
  jobs.command('show <id>').action(async (id: string) => print((await api().get(id)).job));
  jobs.command('watch <id>').action(async (id: string) => finish(await watchJob(api(), id, io.out)));
  jobs.command('cancel <id>').action(async (id: string) => print(await api().cancel(id)));
  registerSchedulesCommand(program, io.out, api);
  registerKeysCommand(program, io.out, api);
  registerDecisionsCommand(program, io.out, api, setExitCode);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message: string };
    if (e.code?.startsWith('commander.')) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    io.err.write(`error: ${e.message}\n`);
    return error instanceof ApiError && error.status >= 500 ? 1 : 2;
  }
}
