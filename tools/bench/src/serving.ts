/**
 * The online serving benchmark: `npm run bench:serving -- --help`. The only place in this tool that reads
 * argv and the environment or decides the exit code.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { startRedisServer } from '@bnpl/service-launchers';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { startBaseline } from './baseline/baseline-process';
import { parseCliArgs, USAGE, UsageError, type BenchOptions } from './cli-args';
import { prefillOnlineStore } from './prefill-online-store';
import { machineInfo, restToBaseline, writeReport, type BenchReport } from './report/bench-report';
import { formatReport } from './report/print-report';
import { evaluateTargets } from './report/targets';
import { captureReferenceBodies } from './scenarios/capture-reference-bodies';
import { runScenarios } from './scenarios/run-scenarios';
import { needsGrpc } from './scenarios/scenario-names';
import { startBenchStack } from './stack/bench-stack';
import { Cleanups } from './stack/cleanups';
import { readRedisStats } from './stack/redis-stats';
import { L1_CACHE, startServingServices, type ServingServices } from './stack/serving-services';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;
/** Customers whose bodies are captured for the baseline and the Redis-down comparison. */
const REFERENCE_CUSTOMERS = 1_000;
const LOG_TAIL_LINES = 20;

const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const command = parseCliArgs(argv, WORKSPACE_ROOT);
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  const cleanups = new Cleanups();
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort(new Error('interrupted'));
    log('interrupted: stopping everything started');
    void cleanups.runAll(log).then(() => process.exit(EXIT_INTERRUPTED));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const report = await benchmark(options, argv, cleanups, interrupt.signal);
    writeReport(options.reportPath, report);
    process.stdout.write(`\n${formatReport(report)}\n`);
    log(`report written to ${options.reportPath}`);
    return 0;
  } catch (error) {
    if (interrupt.signal.aborted) return EXIT_INTERRUPTED;
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await cleanups.runAll(log);
  }
}

/** Runs everything and returns the report; rejects when `signal` aborts (between steps, or within a scenario). */
async function benchmark(options: BenchOptions, argv: readonly string[], cleanups: Cleanups, signal: AbortSignal): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  if (machine.loadAverageAtStart >= 1) log(`warning: load average ${machine.loadAverageAtStart} at start: the figures will be pessimistic`);

  const stack = await startBenchStack({ dataDir: options.dataDir, customers: options.customers, log }, cleanups);
  const { customers, merchants } = stack.counts;
  if (customers !== options.customers) throw new Error(`the database holds ${customers} customers, expected ${options.customers}`);

  log(`filling Redis with the stored views of ${customers} customers and ${merchants} merchants`);
  let lastDecile = 0;
  const prefill = await prefillOnlineStore({
    databaseUrl: stack.pg.url,
    redisUrl: stack.redis.url,
    customers,
    merchants,
    onProgress: (done, total) => {
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) log(`  ${(lastDecile = decile) * 10} %`);
    },
  });
  signal.throwIfAborted();
  const redis = await readRedisStats(stack.redis.url);
  log(`prefill: ${prefill.rows} rows in ${prefill.seconds} s (${prefill.rowsPerSecond} rows/s); Redis: ${redis.keys} keys, ${redis.usedMemoryHuman}`);

  log('starting the serving apps');
  const services = await startServingServices({ databaseUrl: stack.pg.url, redisUrl: stack.redis.url, grpc: needsGrpc(options.scenarios) }, cleanups);
  if (services.grpcUnavailable) log(`${services.grpcUnavailable}; the gRPC scenarios are skipped`);
  const referenceBodies = await captureReferenceBodies(services.rest.httpUrl, merchants, Math.min(REFERENCE_CUSTOMERS, customers));
  log(`captured ${referenceBodies.size} rest-gateway bodies (${Math.round(averageLength(referenceBodies))} bytes on average)`);
  const baseline = options.scenarios.includes('baseline-rest-closed') ? await startBaseline(referenceBodies, merchants, stack.scratchDir, cleanups) : undefined;

  const run = await runScenarios({
    options,
    merchants,
    services,
    baseline,
    protoDir: join(WORKSPACE_ROOT, 'proto'),
    referenceBodies,
    stopRedis: () => stack.redis.stop(),
    restartRedis: async () => {
      stack.redis = await startRedisServer({ port: stack.redis.port });
    },
    log,
    cleanups,
    signal,
  });

  return {
    benchmark: 'serving',
    command: commandLine(argv),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    parameters: { ...options, merchants, l1Cache: { ...L1_CACHE } },
    setup: { sourceRows: stack.counts, generationSeconds: stack.generationSeconds === null ? null : Math.round(stack.generationSeconds * 10) / 10, prefill, redis },
    scenarios: run.scenarios,
    ratios: { restToBaselineThroughput: restToBaseline(run.scenarios) },
    cacheHitRatio: run.cacheHit,
    redisDown: run.redisDown,
    targets: evaluateTargets({ scenarios: run.scenarios, cacheHit: run.cacheHit, redisDownValues: run.redisDown?.values ?? null }),
    serviceLogTail: logTails(services),
  };
}

function commandLine(argv: readonly string[]): string {
  const args = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return process.env.npm_lifecycle_event === 'bench:serving' ? `npm run bench:serving -- ${args}`.trim() : `node -r ./tools/register.cjs tools/bench/src/serving.ts ${args}`.trim();
}

function logTails(services: ServingServices): Record<string, string[]> {
  const tail = (text: string) => text.split('\n').filter(Boolean).slice(-LOG_TAIL_LINES);
  return { 'rest-gateway': tail(services.rest.process.output()), ...(services.grpc ? { 'grpc-serving': tail(services.grpc.process.output()) } : {}) };
}

function averageLength(bodies: ReadonlyMap<number, string>): number {
  let total = 0;
  for (const body of bodies.values()) total += body.length;
  return bodies.size > 0 ? total / bodies.size : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
