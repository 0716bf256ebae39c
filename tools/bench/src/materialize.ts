import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { freePort, startPubSubEmulator } from '@bnpl/service-launchers';
import { getJson, spawnService, waitFor, waitForHttp, WORKSPACE_ROOT, type ServiceProcess } from '@bnpl/testing';
import { parseBenchFlags } from './bench-flags';
import { Cleanups } from './stack/cleanups';
import { startBenchStack } from './stack/bench-stack';
import { readRedisStats } from './stack/redis-stats';
import { postmasterPid, redisServerPid, startComponentCpu } from './stack/cpu-meter';
import { memoryOf } from './stack/process-memory';

const USAGE = `Usage: npm run bench:materialize [-- options]

Materializes every customer view of --customers generated customers from PostgreSQL into Redis through
the real path (REST job -> Pub/Sub emulator -> batch-processor), and compares the write rate with a
same-run redis-benchmark HSET ceiling.

Options:
  --customers N     generated customers (default 2000000)
  --data-dir DIR    keep (and reuse) the generated PostgreSQL data here
  --instances N     batch-processor processes (default 1)
  --shard-size N    customers per shard (default 100000)
  --chunk N         customers per source query (default 2000)
  --concurrency N   chunks in flight per shard (default 2)
  --report FILE     JSON report (default tools/bench/reports/materialize.json)`;

interface Options {
  customers: number;
  dataDir?: string;
  instances: number;
  shardSize: number;
  chunk: number;
  concurrency: number;
  report: string;
}

function parse(argv: string[]): Options {
  const flags = parseBenchFlags(argv, USAGE, { customers: 2_000_000, instances: 1, 'shard-size': 100_000, chunk: 2_000, concurrency: 2 }, ['data-dir', 'report']);
  return {
    customers: flags.customers,
    ...(flags['data-dir'] ? { dataDir: resolve(flags['data-dir']) } : {}),
    instances: flags.instances,
    shardSize: flags['shard-size'],
    chunk: flags.chunk,
    concurrency: flags.concurrency,
    report: resolve(flags.report ?? `${WORKSPACE_ROOT}/tools/bench/reports/materialize.json`),
  };
}

/** redis-benchmark's pipelined HSET rate on this Redis: the ceiling for writing rows (one field each). */
function redisHsetCeiling(url: string): number {
  const { hostname, port } = new URL(url);
  const out = execFileSync('redis-benchmark', ['-h', hostname, '-p', port, '-t', 'hset', '-n', '2000000', '-P', '64', '-r', '2000000', '-q', '--csv'], { encoding: 'utf8' });
  const row = out.split('\n').find((l) => l.startsWith('"HSET'));
  return Number(row?.split(',')[1]?.replace(/"/g, ''));
}

/** The goal: 2,000,000 customers in 60 s, as a rate, so that a smaller run is judged by the same bar. */
const GOAL_CUSTOMERS_PER_SECOND = 2_000_000 / 60;

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  const cleanups = new Cleanups();
  const stopAll = () => cleanups.runAll(log);
  cleanups.exitOnSignals(log);
  try {
    const stack = await startBenchStack({ customers: options.customers, log, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }, cleanups);
    log('measuring the redis-benchmark HSET ceiling (2M pipelined writes)');
    const ceiling = redisHsetCeiling(stack.redis.url);
    execFileSync('redis-cli', ['-u', stack.redis.url, 'FLUSHALL']);
    log(`ceiling: ${Math.round(ceiling).toLocaleString('en')} HSET/s`);

    const pubsub = await startPubSubEmulator();
    cleanups.add('Pub/Sub emulator', () => pubsub.stop());
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: stack.pg.url,
      ONLINE_STORE: 'redis',
      REDIS_URL: stack.redis.url,
      MESSAGING: 'pubsub',
      PUBSUB_PROJECT_ID: pubsub.projectId,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      LOG_LEVEL: 'warn',
    };
    const restPort = await freePort();
    const rest = spawnService('rest-gateway', { ...env, PORT: String(restPort) });
    cleanups.add('rest-gateway', () => rest.stop());
    const api = `http://127.0.0.1:${restPort}`;
    const processors: ServiceProcess[] = [];
    for (let i = 0; i < options.instances; i++) {
      const port = await freePort();
      const p = spawnService('batch-processor', { ...env, PORT: String(port), BATCH_CHUNK_SIZE: String(options.chunk), BATCH_CONCURRENCY: String(options.concurrency) });
      cleanups.add(`batch-processor ${i + 1}`, () => p.stop());
      processors.push(p);
      await waitForHttp(p, `http://127.0.0.1:${port}/health/ready`, 200, 90_000);
    }
    await waitForHttp(rest, `${api}/health/ready`, 200, 90_000);
    const baseline = processors.map((p) => memoryOf(p.child.pid as number).rssMb);

    const views = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);
    log(`materializing ${views.join(', ')} for ${options.customers.toLocaleString('en')} customers with ${options.instances} batch-processor(s)`);
    const cpu = startComponentCpu({
      'batch-processor': processors.map((p) => p.child.pid as number),
      postgresql: [postmasterPid(stack.pg.dataDir)],
      redis: [redisServerPid(stack.redis.url)],
    });
    const started = Date.now();
    const submitted = (await (await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'materialize', views, shard_size: options.shardSize }) })).json()) as { job: { id: string } };
    const rssSamples: number[] = [];
    const sampler = setInterval(() => {
      for (const p of processors) rssSamples.push(memoryOf(p.child.pid as number).rssMb);
    }, 250);
    let last = '';
    const done = await waitFor(
      'the job to finish',
      async () => {
        const { job } = (await getJson(`${api}/v1/jobs/${submitted.job.id}`)).body as { job: { state: string; shards_done: number; shards_total: number; rows_done: number; error: string | null } };
        const line = `${job.state} ${job.shards_done}/${job.shards_total} shards, ${job.rows_done.toLocaleString('en')} rows`;
        if (line !== last) log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
        last = line;
        return ['succeeded', 'failed', 'cancelled'].includes(job.state) ? job : null;
      },
      3_600_000,
      500,
    );
    const seconds = (Date.now() - started) / 1000;
    const cpuSeconds = cpu();
    clearInterval(sampler);
    const peak = Math.max(...processors.map((p) => memoryOf(p.child.pid as number).peakMb));
    const redisStats = await readRedisStats(stack.redis.url);
    const rowsPerSecond = done.rows_done / seconds;
    const report = {
      benchmark: 'materialize',
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      parameters: { ...options, views },
      source: stack.counts,
      job: done,
      seconds,
      customersPerSecond: options.customers / seconds,
      rowsPerSecond,
      redisBenchmarkHsetPerSecond: ceiling,
      fractionOfCeiling: rowsPerSecond / ceiling,
      batchProcessorMemoryMb: {
        idle: baseline,
        peakRss: peak,
        samplesMax: Math.max(...rssSamples),
        note:
          process.env.BNPL_SERVICE_BUILT === '1'
            ? 'VmHWM of the batch-processor process(es), run as built (nx build), as in the image'
            : 'VmHWM of the batch-processor process(es), run from TypeScript sources (the SWC compiler is resident); BNPL_SERVICE_BUILT=1 runs the built app',
      },
      redis: redisStats,
      cpu: {
        note: 'CPU seconds of each component during the job (process trees from /proc), and per customer',
        seconds: cpuSeconds,
        microsecondsPerCustomer: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, v === null ? null : Math.round((v / options.customers) * 1e6 * 10) / 10])),
      },
      targets: [
        {
          target: `materialize 2M customers <= 60 s, i.e. >= ${Math.ceil(GOAL_CUSTOMERS_PER_SECOND).toLocaleString('en')} customers/s`,
          measured: options.customers / seconds,
          met: options.customers / seconds >= GOAL_CUSTOMERS_PER_SECOND,
          missedBy: Math.max(0, GOAL_CUSTOMERS_PER_SECOND - options.customers / seconds),
        },
        { target: 'batch-processor peak memory < 512 MB', measured: peak, met: peak < 512, missedBy: Math.max(0, peak - 512) },
      ],
    };
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
    log(`${done.state}: ${done.rows_done.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s (${Math.round(options.customers / seconds).toLocaleString('en')} customers/s); ceiling ${Math.round(ceiling).toLocaleString('en')} HSET/s (${((rowsPerSecond / ceiling) * 100).toFixed(1)} %); batch-processor peak RSS ${peak.toFixed(0)} MB`);
    log(`CPU during the job: ${Object.entries(cpuSeconds).map(([k, v]) => `${k} ${v === null ? 'n/a' : `${v.toFixed(1)} s (${Math.round((v / options.customers) * 1e6)} µs/customer)`}`).join(', ')}`);
    for (const t of report.targets) log(`goal: ${t.target}: measured ${Math.round(t.measured).toLocaleString('en')}, ${t.met ? 'met' : 'not met'}`);
    log(`report: ${options.report}`);
  } finally {
    await stopAll();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
