/**
 * The decision-records benchmark: what recording every answer costs the read path, REST (wrk) and gRPC
 * (h2load), against the same build with recording off, in the same run (alternating rounds, medians), with
 * the records going through the Pub/Sub emulator to a batch-processor sinking them into DuckDB; then how
 * fast the sink stores records (end to end, from its counters, and the DuckDB store alone), and how fast a
 * whole day of decisions replays against the offline history.
 *
 *   node -r ./tools/register.cjs tools/bench/src/decision-records-bench.ts [--customers 10000] [--duration 8]
 *     [--rounds 3] [--sink-records 50000] [--replay-decisions 20000] [--data-dir DIR] [--report FILE]
 *
 * Prints measured / goal / met and writes a JSON report (tools/bench/reports/decision-records.json).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCommandLine, parseIntegerFlag } from '@bnpl/command-line';
import { bnplCatalog, money, type FeatureRow } from '@bnpl/feature-definitions';
import { RecordChain, ReplayDay, batchOf, sampleDraft } from '@bnpl/decision-records';
import { DuckDBDecisionStore, DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { freePort, startPubSubEmulator } from '@bnpl/service-launchers';
import { spawnService, waitForHttp, type ServiceProcess } from '@bnpl/testing';
import { median, summarise, type OnOffRuns, type OnOffSummary, type Target } from './access-control/comparison';
import { grpcFrame, runH2load, runWrk, writeWrkScript, type LoadResult } from './access-control/load-tools';
import { sumSamples } from './metrics/prometheus-text';
import { prefillOnlineStore } from './prefill-online-store';
import { machineInfo } from './report/bench-report';
import { startBenchStack } from './stack/bench-stack';
import { runBenchCommand } from './stack/bench-command';
import { encodeGrpcFeatureRequest } from './targets/grpc-raw-client';
import { sameRunCommand, sameRunOptions, type SameRunOptions } from './stack/same-run-flags';
import { Cleanups } from './stack/cleanups';
import { startCpuMeter } from './stack/cpu-meter';
import { benchServingEnv } from './stack/serving-services';

const log = (message: string) => process.stdout.write(`[bench:decision-records] ${message}\n`);

interface Options extends SameRunOptions {
  sinkRecords: number;
  replayDecisions: number;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const program = sameRunCommand('decision-records')
    .option('--sink-records <n>', 'records appended to the DuckDB store alone', '50000')
    .option('--replay-decisions <n>', 'decisions of the replayed day', '20000');
  const parsed = parseCommandLine<Record<string, string>>(program, argv);
  if (parsed.kind === 'help') return 'help';
  const o = parsed.options;
  return {
    ...sameRunOptions(o),
    sinkRecords: parseIntegerFlag('--sink-records', o.sinkRecords, 100),
    replayDecisions: parseIntegerFlag('--replay-decisions', o.replayDecisions, 100),
  };
}

/** The design's goals for decision records: >= 90 % of the throughput, p99 within 15 %. */
export function recordingTargets(name: string, summary: OnOffSummary): Target[] {
  return [
    {
      target: `${name} throughput, recording on / off`,
      goal: '>= 90 %',
      measured: `${(summary.throughputRatio * 100).toFixed(1)} % (${summary.onRps} / ${summary.offRps} req/s)`,
      met: summary.throughputRatio >= 0.9,
    },
    {
      target: `${name} p99, recording on vs off`,
      goal: 'within +15 %',
      measured: `${summary.onP99Ms} ms vs ${summary.offP99Ms} ms (${summary.p99Ratio >= 1 ? '+' : ''}${((summary.p99Ratio - 1) * 100).toFixed(1)} %)`,
      met: summary.p99Ratio <= 1.15,
    },
  ];
}

interface Service {
  readonly process: ServiceProcess;
  readonly http: string;
  readonly grpc?: string;
}

const main = (argv: readonly string[]) => runBenchCommand({ name: 'decision-records', parseOptions, benchmark, summary: (report) => report.targets.map((t) => `${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured} (goal ${t.goal})`).join('\n') }, argv);

async function benchmark(options: Options, argv: readonly string[], cleanups: Cleanups) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const stack = await startBenchStack({ dataDir: options.dataDir, customers: options.customers, log }, cleanups);
  const { customers, merchants } = stack.counts;
  log(`prefilling Redis with ${customers} customers and ${merchants} merchants`);
  await prefillOnlineStore({ databaseUrl: stack.pg.url, redisUrl: stack.redis.url, customers, merchants });
  const emulator = await startPubSubEmulator();
  cleanups.add('Pub/Sub emulator', () => emulator.stop());

  const common = {
    ...benchServingEnv(stack.pg.url, stack.redis.url),
    MESSAGING: 'pubsub',
    PUBSUB_PROJECT_ID: emulator.projectId,
    PUBSUB_EMULATOR_HOST: emulator.host,
    // Access control costs its own share (its benchmark); here only recording differs between the sides.
    AUTH_MODE: 'off',
  };
  const sinkPort = await freePort();

  const start = async (app: 'rest-gateway' | 'grpc-serving', recording: 'on' | 'off'): Promise<Service> => {
    const http = await freePort();
    const grpc = app === 'grpc-serving' ? await freePort() : undefined;
    const env = { ...common, DECISIONS_RECORDING: recording, ...(grpc ? { HTTP_PORT: String(http), GRPC_PORT: String(grpc) } : { PORT: String(http) }) };
    const child = spawnService(app, env);
    cleanups.add(`${app} (recording ${recording})`, () => child.stop());
    await waitForHttp(child, `http://127.0.0.1:${http}/health/ready`, 200, 90_000);
    return { process: child, http: `http://127.0.0.1:${http}`, ...(grpc ? { grpc: `127.0.0.1:${grpc}` } : {}) };
  };
  // The sink runs after the measured rounds, not during them: on two cores it would take its CPU from the
  // services measured (in production it runs elsewhere). The serving instances declare its subscription,
  // so their records wait in the emulator meanwhile.
  log('starting rest-gateway and grpc-serving, each with recording off and on (records wait in the emulator for the sink)');
  const [restOff, restOn, grpcOff, grpcOn] = await Promise.all([start('rest-gateway', 'off'), start('rest-gateway', 'on'), start('grpc-serving', 'off'), start('grpc-serving', 'on')]);

  const script = writeWrkScript(stack.scratchDir, customers, merchants);
  const requestFile = join(stack.scratchDir, 'get-online-features.bin');
  writeFileSync(requestFile, grpcFrame(encodeGrpcFeatureRequest([1], merchants)));
  /** A run, and the CPU the service spent per answer during it (µs): what recording costs the process itself. */
  const measured = async (service: Service, run: () => Promise<LoadResult>): Promise<LoadResult & { serverCpuUsPerRequest: number | null }> => {
    const meter = startCpuMeter(service.process.child.pid);
    const result = await run();
    const cpu = meter();
    return { ...result, serverCpuUsPerRequest: cpu.serverPercent === null || result.requests === 0 ? null : Math.round(((cpu.serverPercent / 100) * result.seconds * 1e6) / result.requests) };
  };
  const rest = (service: Service, seconds: number) => measured(service, () => runWrk({ baseUrl: service.http, script, seconds, connections: 32 }));
  const grpc = (service: Service, seconds: number) =>
    measured(service, () => runH2load({ url: `http://${service.grpc}/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures`, requestFile, logFile: join(stack.scratchDir, 'h2load.log'), seconds, clients: 4, streamsPerClient: 8 }));

  log('warming up (2 s each)');
  for (const service of [restOff, restOn]) await rest(service, 2);
  for (const service of [grpcOff, grpcOn]) await grpc(service, 2);
  const recordedBefore = await Promise.all([restOn, grpcOn].map((s) => counters(s.http)));

  type Run = LoadResult & { serverCpuUsPerRequest: number | null };
  const restRuns: { off: Run[]; on: Run[] } = { off: [], on: [] };
  const grpcRuns: { off: Run[]; on: Run[] } = { off: [], on: [] };
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate which goes first, so that a drift of the machine does not favour one side.
    const order = round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const side of order) {
      const result = await rest(side === 'off' ? restOff : restOn, options.duration);
      restRuns[side].push(result);
      log(`round ${round} REST ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, ${result.failures} failed, ${result.serverCpuUsPerRequest} µs CPU per answer`);
    }
    for (const side of order) {
      const result = await grpc(side === 'off' ? grpcOff : grpcOn, options.duration);
      grpcRuns[side].push(result);
      log(`round ${round} gRPC ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, ${result.failures} failed, ${result.serverCpuUsPerRequest} µs CPU per answer`);
    }
  }
  // Every measured answer of the "on" services was recorded (none dropped or refused): their own counters.
  const recordedAfter = await Promise.all([restOn, grpcOn].map((s) => counters(s.http)));
  const sent = restRuns.on.reduce((n, r) => n + r.requests, 0) + grpcRuns.on.reduce((n, r) => n + r.requests, 0);
  const recorded = recordedAfter.reduce((n, c, i) => n + c.recorded - recordedBefore[i].recorded, 0);
  const lost = recordedAfter.reduce((n, c, i) => n + c.dropped + c.rejected - recordedBefore[i].dropped - recordedBefore[i].rejected, 0);
  if (lost !== 0) throw new Error(`${lost} benchmark answers were not recorded`);
  for (const service of [restOff, grpcOff]) await service.process.stop();

  // The sink end to end: the records of the run, drained from the emulator into DuckDB, from its counter.
  const publishedTotal = (await Promise.all([restOn, grpcOn].map((s) => counters(s.http)))).reduce((n, c) => n + c.published, 0);
  const sink = spawnService('batch-processor', { ...common, PORT: String(sinkPort), OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: join(stack.scratchDir, 'offline.duckdb') });
  cleanups.add('batch-processor (decision sink)', () => sink.stop());
  await waitForHttp(sink, `http://127.0.0.1:${sinkPort}/health/ready`, 200, 90_000);
  const sinkDrain = await drainRate(`http://127.0.0.1:${sinkPort}`, publishedTotal);
  if (sinkDrain.stored < publishedTotal) throw new Error(`the sink stored ${sinkDrain.stored} of the ${publishedTotal} records published`);
  log(`sink: ${sinkDrain.stored} records stored, ${sinkDrain.recordsPerSecond} records/s while draining`);
  await Promise.all([restOn, grpcOn].map((s) => s.process.stop()));
  await sink.stop();

  const store = await duckdbStoreRate(stack.scratchDir, options.sinkRecords);
  log(`DuckDB store alone: ${store.recordsPerSecond} records/s (${options.sinkRecords} records in batches of 500)`);
  const replay = await replayRate(stack.scratchDir, options.replayDecisions);
  log(`whole-day replay: ${replay.decisionsPerSecond} decisions/s (${replay.decisions} decisions, ${JSON.stringify(replay.verdicts)})`);
  if (replay.verdicts['equal'] !== replay.decisions) throw new Error(`the replayed day was not found equal to what was served: ${JSON.stringify(replay.verdicts)}`);

  const restSummary = summarise(restRuns as OnOffRuns);
  const grpcSummary = summarise(grpcRuns as OnOffRuns);
  const cpu = (runs: readonly Run[]) => median(runs.map((r) => r.serverCpuUsPerRequest ?? 0));
  const cpuPerAnswer = { restOffUs: cpu(restRuns.off), restOnUs: cpu(restRuns.on), grpcOffUs: cpu(grpcRuns.off), grpcOnUs: cpu(grpcRuns.on) };
  const targets: Target[] = [
    ...recordingTargets('REST', restSummary),
    ...recordingTargets('gRPC', grpcSummary),
    { target: 'REST CPU per answer, recording on vs off (the service process)', goal: '(report)', measured: `${cpuPerAnswer.restOnUs} µs vs ${cpuPerAnswer.restOffUs} µs`, met: true },
    { target: 'gRPC CPU per answer, recording on vs off (the service process)', goal: '(report)', measured: `${cpuPerAnswer.grpcOnUs} µs vs ${cpuPerAnswer.grpcOffUs} µs`, met: true },
    { target: 'decision sink into DuckDB (end to end, from the emulator)', goal: '(report)', measured: `${sinkDrain.recordsPerSecond} records/s`, met: true },
    { target: 'DuckDB decision store alone', goal: '(report)', measured: `${store.recordsPerSecond} records/s`, met: true },
    { target: 'whole-day replay against the DuckDB history', goal: '(report)', measured: `${replay.decisionsPerSecond} decisions/s`, met: true },
  ];
  return {
    command: `node -r ./tools/register.cjs tools/bench/src/decision-records-bench.ts ${argv.join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options,
    data: { customers, merchants },
    load: {
      rest: 'wrk -t1 -c32 --latency, customers 1..N in turn, credit_decision_v1 with a merchant and a requested amount',
      grpc: 'h2load -c 4 -m 8 -t 1, one GetOnlineFeatures request (customer 1, credit_decision_v1) repeated',
      records: 'published to the Pub/Sub emulator during the rounds; one batch-processor sinks them into DuckDB afterwards (its drain is the sink figure)',
    },
    rest: { runs: restRuns, summary: restSummary },
    grpc: { runs: grpcRuns, summary: grpcSummary },
    verification: { answersSentToRecordingServices: sent, recorded, droppedOrRefused: lost, publishedTotal, storedBySink: sinkDrain.stored },
    cpuPerAnswer,
    sink: sinkDrain,
    store,
    replay,
    targets,
  };
}

async function counters(baseUrl: string): Promise<{ recorded: number; published: number; dropped: number; rejected: number }> {
  const names = ['bnpl_decisions_recorded_total', 'bnpl_decisions_published_total', 'bnpl_decisions_dropped_total', 'bnpl_decisions_rejected_total'];
  const samples = sumSamples(await (await fetch(`${baseUrl}/metrics`)).text(), names);
  const [recorded, published, dropped, rejected] = names.map((n) => samples.get(n) ?? 0);
  return { recorded, published, dropped, rejected };
}

/** Waits until the sink has stored `expected` records, measuring its rate from the first to the last poll that moved. */
async function drainRate(sinkUrl: string, expected: number): Promise<{ stored: number; expected: number; recordsPerSecond: number }> {
  const stored = async () => sumSamples(await (await fetch(`${sinkUrl}/metrics`)).text(), ['bnpl_decisions_stored_total']).get('bnpl_decisions_stored_total') ?? 0;
  let first = { at: performance.now(), n: await stored() };
  let last = first;
  const deadline = performance.now() + 600_000;
  while (last.n < expected && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const n = await stored();
    if (n !== last.n) last = { at: performance.now(), n };
    if (first.n === 0 && n > 0) first = last;
  }
  const seconds = (last.at - first.at) / 1000;
  return { stored: last.n, expected, recordsPerSecond: seconds > 0 ? Math.round((last.n - first.n) / seconds) : 0 };
}

/** Appends `count` records (credit_decision-sized) to a DuckDB decision store in batches of 500. */
async function duckdbStoreRate(dir: string, count: number): Promise<{ records: number; recordsPerSecond: number }> {
  const offline = await DuckDBOfflineStore.open({ path: join(dir, 'store-bench.duckdb'), catalog: bnplCatalog });
  try {
    const store = await DuckDBDecisionStore.over(offline);
    const chain = new RecordChain('bench:20261201T000000Z:000000000000');
    const batches = [];
    for (let i = 0; i < count; i += 500) {
      batches.push(batchOf(Array.from({ length: Math.min(500, count - i) }, (_, j) => chain.seal(sampleDraft({ customerId: String(((i + j) % 10_000) + 1), at: new Date(Date.now() + i + j) }), chain.take()))));
    }
    const started = performance.now();
    for (const batch of batches) await store.append(batch);
    return { records: count, recordsPerSecond: Math.round(count / ((performance.now() - started) / 1000)) };
  } finally {
    await offline.close();
  }
}

/**
 * A day of `decisions` decisions over 2,000 customers whose exposure history has a row five minutes before
 * the first, replayed with ReplayDay (one point-in-time retrieval per 1,000 decisions): every value equal.
 */
async function replayRate(dir: string, decisions: number): Promise<{ decisions: number; decisionsPerSecond: number; verdicts: Record<string, number> }> {
  const offline = await DuckDBOfflineStore.open({ path: join(dir, 'replay-bench.duckdb'), catalog: bnplCatalog });
  try {
    const store = await DuckDBDecisionStore.over(offline);
    const day = '2026-11-30';
    const dayStart = Date.parse(`${day}T01:00:00Z`);
    const customers = 2_000;
    const values: FeatureRow = { active_plans_count: 1, outstanding_balance: money(50_000, 'EUR'), overdue_balance: money(0, 'EUR'), credit_limit: money(120_000, 'EUR'), utilization: 0.4166666666666667 };
    await offline.writeFeatureRows('customer_exposure', Array.from({ length: customers }, (_, c) => ({ entityId: String(c + 1), eventTime: new Date(dayStart - 300_000), values })));
    const chain = new RecordChain('bench:20261130T000000Z:000000000000');
    const features = ['customer_exposure:outstanding_balance', 'customer_exposure:utilization', 'credit_request:exposure_after_order'];
    for (let i = 0; i < decisions; i += 500) {
      const records = Array.from({ length: Math.min(500, decisions - i) }, (_, j) => {
        // Spread over 50 minutes: every decision within the exposure view's 1 h TTL of its history row.
        const at = new Date(dayStart + Math.floor(((i + j) * 3_000_000) / decisions));
        const draft = sampleDraft({
          at,
          featureNames: features,
          rows: [
            {
              entityRow: { customer_id: String(((i + j) % customers) + 1) },
              values: [
                { value: money(50_000, 'EUR'), status: 'PRESENT', eventTime: new Date(dayStart - 300_000), origin: 'l1', streamed: false },
                { value: 0.4166666666666667, status: 'PRESENT', eventTime: new Date(dayStart - 300_000), origin: 'l1', streamed: false },
                { value: money(62_000, 'EUR'), status: 'PRESENT', eventTime: at, origin: 'request', streamed: false },
              ],
            },
          ],
        });
        return chain.seal(draft, chain.take());
      });
      await store.append(batchOf(records));
    }
    const report = await new ReplayDay(store, offline, bnplCatalog).execute(day);
    return { decisions: report.decisions, decisionsPerSecond: Math.round(report.decisionsPerSecond), verdicts: { ...report.verdicts } };
  } finally {
    await offline.close();
  }
}


if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
