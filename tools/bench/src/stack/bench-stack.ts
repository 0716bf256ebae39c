import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateDatabase, SourceDatabase, SourceRepository, type SourceTableCounts } from '@bnpl/postgres';
import { makeTempDir, startEmbeddedPostgres, startRedisServer, stopChild, type RunningPostgres, type RunningRedis } from '@bnpl/service-launchers';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { type Cleanups } from './cleanups';

export interface BenchStackOptions {
  /** Keep PostgreSQL's data here and reuse it; a temporary directory (removed at the end) when omitted. */
  readonly dataDir?: string;
  readonly customers: number;
  readonly log: (message: string) => void;
}

export interface BenchStack {
  readonly pg: RunningPostgres;
  redis: RunningRedis;
  readonly counts: SourceTableCounts;
  /** null when the data directory already held `customers` customers. */
  readonly generationSeconds: number | null;
  /** A directory for the run's scratch files, removed at the end. */
  readonly scratchDir: string;
}

/** The dataset seed: fixed, so that a reused data directory and a fresh one hold the same data. */
const DATA_SEED = 42;

/**
 * PostgreSQL (embedded, migrated) holding `customers` generated customers, and an empty redis-server,
 * both on free ports. Everything started is registered in `cleanups`.
 */
export async function startBenchStack(options: BenchStackOptions, cleanups: Cleanups): Promise<BenchStack> {
  const scratch = makeTempDir('bnpl-bench-');
  cleanups.add('scratch directory', () => scratch.remove());
  const pgDir = join(options.dataDir ?? scratch.path, 'postgres');
  // Durability off: a benchmark database is regenerated, never recovered.
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, durable: false });
  cleanups.add('PostgreSQL', () => pg.stop());
  options.log(`PostgreSQL on ${pg.url} (data in ${pgDir})`);
  await migrateDatabase({ type: 'postgres', url: pg.url });

  let counts = await countRows(pg.url);
  let generationSeconds: number | null = null;
  if (counts.customers === options.customers) {
    options.log(`reusing ${counts.customers} customers, ${counts.merchants} merchants, ${counts.orders} orders`);
  } else {
    options.log(`generating ${options.customers} customers (seed ${DATA_SEED})${counts.customers > 0 ? `, replacing ${counts.customers}` : ''}`);
    const started = performance.now();
    await runGenerator(pg.url, options.customers, cleanups);
    generationSeconds = (performance.now() - started) / 1000;
    counts = await countRows(pg.url);
  }

  const redis = await startRedisServer();
  // The run may restart Redis (the Redis-down scenario): stop whichever instance is current.
  const stack: BenchStack = { pg, redis, counts, generationSeconds, scratchDir: scratch.path };
  cleanups.add('redis-server', () => stack.redis.stop());
  options.log(`redis-server on ${redis.url}`);
  return stack;
}

async function countRows(url: string): Promise<SourceTableCounts> {
  // Exact counts of a 2M-customer set scan ~50M rows: far past the read path's statement timeout.
  const db = new SourceDatabase({ type: 'postgres', url, poolSize: 1, applicationName: 'bnpl-bench', statementTimeoutMs: 600_000 });
  await db.start();
  try {
    return await new SourceRepository(db).countRows();
  } finally {
    await db.close();
  }
}

/** The data generator's CLI, as the local stack runs it (tools do not import each other). */
function runGenerator(databaseUrl: string, customers: number, cleanups: Cleanups): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(WORKSPACE_ROOT, 'tools/register.cjs'),
        join(WORKSPACE_ROOT, 'tools/data-generator/src/main.ts'),
        '--database-url',
        databaseUrl,
        '--customers',
        String(customers),
        '--seed',
        String(DATA_SEED),
        '--truncate',
      ],
      { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    cleanups.add('data generator', () => stopChild(child, 'SIGINT', 10_000));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the data generator exited with ${code}`))));
  });
}
