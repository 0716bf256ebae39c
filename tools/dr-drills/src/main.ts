import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT_USAGE, parseCommandLine, parseIntegerFlag, UsageError } from '@bnpl/command-line';
import { migrateDatabase } from '@bnpl/postgres';
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres } from '@bnpl/service-launchers';
import { runSql, waitFor, WORKSPACE_ROOT } from '@bnpl/testing';
import { DrillStack, type JobAnswer } from './drill-stack';

const USAGE = `Usage: node -r ./tools/register.cjs tools/dr-drills/src/main.ts [options]

The "Redis lost" drill of the README's runbook at full size: PostgreSQL with generated customers (the data
generator, seed 42), Redis with RDB, the Pub/Sub emulator, rest-gateway and a batch-processor; a full
materialization; then Redis is killed and comes back empty. Measures the time from the loss until the
batch-processor's rebuild (a full materialization it submits itself) has finished, samples REST reads
meanwhile (each must equal its answer before the loss), runs the parity check over every customer and
merchant, prints the figures and writes a JSON report.

Options:
  --customers N    generated customers (default 100000)
  --data-dir DIR   keep (and reuse) the generated PostgreSQL data here
  --report FILE    JSON report (default tools/dr-drills/reports/redis-rebuild.json)
  -h, --help       this text`;

interface Options {
  readonly customers: number;
  readonly dataDir?: string;
  readonly report: string;
}

export function parseDrillArgs(argv: readonly string[]): Options | 'help' {
  const program = new Command('dr-drills').helpOption(false).option('-h, --help').option('--customers <value>').option('--data-dir <value>').option('--report <value>');
  const parsed = parseCommandLine<{ help?: boolean; customers?: string; dataDir?: string; report?: string }>(program, argv);
  if (parsed.kind === 'help' || parsed.options.help) return 'help';
  const { customers, dataDir, report } = parsed.options;
  return {
    customers: customers === undefined ? 100_000 : parseIntegerFlag('--customers', customers, 10),
    ...(dataDir ? { dataDir: resolve(dataDir) } : {}),
    report: resolve(report ?? join(WORKSPACE_ROOT, 'tools/dr-drills/reports/redis-rebuild.json')),
  };
}

const log = (message: string) => process.stdout.write(`[drill] ${message}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseDrillArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const scratch = makeTempDir('bnpl-drill-');
  let pg: RunningPostgres | undefined;
  let stack: DrillStack | undefined;
  try {
    const pgDir = join(options.dataDir ?? scratch.path, 'postgres');
    pg = await startEmbeddedPostgres({ dataDir: pgDir, durable: false });
    await migrateDatabase({ type: 'postgres', url: pg.url });
    const [{ n }] = (await runSql(pg.url, 'SELECT count(*)::int AS n FROM customers')) as Array<{ n: number }>;
    if (n !== options.customers) {
      log(`generating ${options.customers} customers in ${pgDir}`);
      await generate(pg.url, options.customers);
    } else log(`reusing ${n} customers in ${pgDir}`);
    // A drill starts from a store that was never rebuilt: forget earlier runs' jobs and generations.
    await runSql(pg.url, 'TRUNCATE feature_jobs CASCADE', 'TRUNCATE materialization_watermarks', 'TRUNCATE online_store_generation');

    const drill = await DrillStack.start({ databaseUrl: pg.url, log });
    stack = drill;
    log('full materialization (npm run fs -- materialize)');
    const initial = await timed(() => drill.fs(['materialize']));
    if (initial.value.code !== 0) throw new Error(`the first materialization failed:\n${initial.value.output}`);
    log(`materialized in ${seconds(initial.ms)} s`);
    await waitFor('the generation marker', async () => drill.batchOutput().includes('online store generation 1 recorded'), 60_000, 200);

    const sample = Array.from({ length: 20 }, (_, i) => 1 + Math.floor(((i + 0.5) * options.customers) / 20));
    const before = await Promise.all(sample.map((id) => drill.readCustomer(id)));
    const jobsBefore = await drill.jobs();

    log('Redis lost: SIGKILL, restarted empty');
    await drill.crashRedis();
    const lostAt = Date.now();
    await drill.restartRedis('empty');
    let reads = 0;
    const differing: number[] = [];
    let detectedAt: number | null = null;
    const rebuild = await waitFor(
      'the rebuild job to succeed',
      async () => {
        const i = reads++ % sample.length;
        const now = await drill.readCustomer(sample[i]);
        if (now.status !== 200 || JSON.stringify(now.values) !== JSON.stringify(before[i].values)) differing.push(sample[i]);
        const job = (await drill.jobs()).find((j) => !jobsBefore.some((b) => b.id === j.id));
        if (job && detectedAt === null) detectedAt = Date.parse(job.created_at);
        return job?.state === 'succeeded' ? job : job?.state === 'failed' ? Promise.reject(new Error(`the rebuild job failed: ${JSON.stringify(job)}`)) : undefined;
      },
      3_600_000,
      250,
    );
    const rebuiltAt = Date.parse(rebuild.finished_at ?? '');
    log(`rebuilt: job ${rebuild.id}, ${rebuild.rows_done} rows; ${seconds(rebuiltAt - lostAt)} s from the loss (noticed after ${seconds((detectedAt ?? rebuiltAt) - lostAt)} s)`);

    log('parity check of every customer and merchant (npm run parity)');
    const parity = await timed(async () => ({ customer: await drill.parity('customer'), merchant: await drill.parity('merchant') }));
    const report = {
      drill: 'redis-lost-rebuild',
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      customers: options.customers,
      initialMaterializationSeconds: seconds(initial.ms),
      lossToRebuildStartSeconds: seconds((detectedAt ?? rebuiltAt) - lostAt),
      lossToRebuiltSeconds: seconds(rebuiltAt - lostAt),
      rebuildJob: rebuild satisfies JobAnswer,
      customersPerSecond: Math.round(options.customers / ((rebuiltAt - lostAt) / 1000)),
      readsDuringRebuild: { sampled: reads, differingFromBefore: differing.length },
      parity: { seconds: seconds(parity.ms), ...parity.value },
    };
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
    log(
      `${options.customers} customers: lost -> rebuilt in ${report.lossToRebuiltSeconds} s (${report.customersPerSecond} customers/s); ${reads} reads meanwhile, ${differing.length} differing; parity ${parity.value.customer.mismatchedRows} + ${parity.value.merchant.mismatchedRows} mismatched rows, ${parity.value.customer.missingOnline} missing (${seconds(parity.ms)} s)`,
    );
    log(`report: ${options.report}`);
    return parity.value.customer.consistent && parity.value.merchant.consistent && differing.length === 0 ? 0 : 1;
  } finally {
    await stack?.stop();
    await pg?.stop();
    scratch.remove();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

/** The data generator's CLI (tools do not import each other). */
function generate(databaseUrl: string, customers: number): Promise<void> {
  const entry = join(WORKSPACE_ROOT, 'tools/data-generator/src/main.ts');
  if (!existsSync(entry)) return Promise.reject(new Error(`${entry} is missing`));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), entry, '--database-url', databaseUrl, '--customers', String(customers), '--seed', '42', '--truncate'], {
      cwd: WORKSPACE_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`the data generator exited with ${code}`))));
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`[drill] failed: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
