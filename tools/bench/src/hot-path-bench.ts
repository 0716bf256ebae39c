/**
 * The hot-path benchmark: rest-gateway and grpc-serving as users run them (access control on, every answer
 * recorded through Pub/Sub, observability at its defaults, Redis with the L1 cache) against bare baselines
 * serving the same bytes, in the same run: REST throughput against Fastify and its p99 at half the
 * gateway's saturation; gRPC with 1 and 100 customers per call against a bare grpc-js server; the CPU each
 * service and each load generator spent per request; optionally CPU profiles of the services, summarised.
 *
 *   node -r ./tools/register.cjs tools/bench/src/hot-path-bench.ts [--customers 10000] [--duration 8]
 *     [--rounds 3] [--workers 1] [--profile] [--only rest|grpc] [--grpc100-reference-rows 64000]
 *     [--data-dir DIR] [--report FILE]
 *
 * Prints each goal as met / MISSED with measured and goal, and writes a JSON report
 * (tools/bench/reports/hot-path.json).
 */
import 'reflect-metadata';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, parseIntegerFlag } from '@bnpl/command-line';
import { MAX_ENTITY_ROWS } from '@bnpl/serving';
import { freePort, serviceNodeOptions, startPubSubEmulator } from '@bnpl/service-launchers';
import { createTestApiKey, spawnService, waitForHttp, type ServiceProcess } from '@bnpl/testing';
import type { Target } from './access-control/comparison';
import { grpcFrame, runH2load, runH2loadFleet, runWrk, writeWrkScript, type LoadResult } from './access-control/load-tools';
import { startBaseline } from './baseline/baseline-process';
import { startGrpcBaseline, type CapturedCall } from './baseline/grpc-baseline-process';
import {
  cpuUsPerRequest,
  formatVerdicts,
  halfRate,
  p99AgainstBaselineTarget,
  p99LimitTarget,
  reportedFigure,
  rowsPerSecondTarget,
  summariseSide,
  throughputShareTarget,
  type HotPathRun,
  type SideSummary,
} from './hot-path/hot-path-goals';
import { runOpenLoop } from './load/open-loop';
import { sumSamples } from './metrics/prometheus-text';
import { runtimeDuring, type RuntimeDuring } from './metrics/runtime-figures';
import { prefillOnlineStore } from './prefill-online-store';
import { formatProfileSummary, type ProfileSummary, type ProfileWindow } from './profile/cpu-profile';
import { summariseProfileFiles } from './profile/summarise-cpu-profile';
import { machineInfo } from './report/bench-report';
import { captureReferenceBodies } from './scenarios/capture-reference-bodies';
import { runBenchCommand } from './stack/bench-command';
import { onlyFlag, sameRunCommand, sameRunOptions, type SameRunOptions } from './stack/same-run-flags';
import { startBenchStack } from './stack/bench-stack';
import { Cleanups } from './stack/cleanups';
import { startCpuMeter } from './stack/cpu-meter';
import { peakRssOfTree } from './stack/process-memory';
import { benchServingEnv } from './stack/serving-services';
import { HttpFeatureClient } from './targets/http-feature-client';
import { callGetOnlineFeaturesRaw, encodeGrpcFeatureRequest, GET_ONLINE_FEATURES_PATH } from './targets/grpc-raw-client';
import { restFeaturePath } from './targets/feature-request';

const log = (message: string) => process.stdout.write(`[bench:hot-path] ${message}\n`);

/** Customers per call of the batch scenario (grpc-serving allows MAX_ENTITY_ROWS, 1,000). */
const BATCH_CUSTOMERS = 100;
/** h2load processes (one connection each) sending REST's fixed rate. */
const FLEET_PROCESSES = 16;
/** Bodies captured from rest-gateway for the Fastify baseline (customer N gets body N % this). */
const CAPTURED_BODIES = 1_000;
/** wrk's connections, and the open-loop generator's. */
const REST_CONNECTIONS = 32;
/** h2load's clients x streams per client, for every gRPC run. */
const GRPC_CLIENTS = 4;
const GRPC_STREAMS = 8;
/** The design's goals. */
const GOALS = { throughputShare: 0.7, restP99Factor: 2, grpc100RowsFactor: 3, grpc100P99Ms: 15 } as const;

interface Options extends SameRunOptions {
  workers: number;
  profile: boolean;
  grpc100ReferenceRows: number;
  only?: 'rest' | 'grpc';
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const program = sameRunCommand('hot-path')
    .option('--workers <n>', 'SERVING_WORKERS given to rest-gateway and grpc-serving', '1')
    .option('--profile', 'CPU-profile rest-gateway and grpc-serving and print where their time went (profiles kept under --data-dir)')
    .option('--grpc100-reference-rows <n>', "today's gRPC 100-customer figure in rows/s; the goal is 3x it", '64000')
    .option('--only <interface>', 'rest or grpc: skip the other');
  const parsed = parseCommandLine<Record<string, string | boolean>>(program, argv);
  if (parsed.kind === 'help') return 'help';
  const o = parsed.options as Record<string, string | undefined> & { profile?: boolean };
  return {
    ...sameRunOptions(o),
    workers: parseIntegerFlag('--workers', String(o.workers), 1),
    profile: o.profile === true,
    grpc100ReferenceRows: parseIntegerFlag('--grpc100-reference-rows', String(o.grpc100ReferenceRows), 1),
    ...(o.only !== undefined ? { only: onlyFlag(o.only) } : {}),
  };
}

interface Report {
  readonly targets: readonly Target[];
  readonly profiles: Readonly<Record<string, ProfileSummary>> | null;
}

const main = (argv: readonly string[]) =>
  runBenchCommand(
    {
      name: 'hot-path',
      parseOptions,
      benchmark,
      summary: (report: Report) =>
        [formatVerdicts(report.targets), ...Object.entries(report.profiles ?? {}).map(([service, summary]) => `\n${formatProfileSummary(`${service}, during the measured runs`, summary)}`)].join('\n'),
    },
    argv,
  );

type App = 'rest-gateway' | 'grpc-serving';

interface Service {
  readonly app: App;
  readonly process: ServiceProcess;
  readonly http: string;
  readonly grpc?: string;
  /** Where its CPU profiles go (one file per process) when profiling. */
  readonly profileDir?: string;
}

async function benchmark(options: Options, argv: readonly string[], cleanups: Cleanups) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  if (BATCH_CUSTOMERS > MAX_ENTITY_ROWS) throw new Error(`${BATCH_CUSTOMERS} customers per call is over grpc-serving's ${MAX_ENTITY_ROWS}`);
  const stack = await startBenchStack({ dataDir: options.dataDir, customers: options.customers, log }, cleanups);
  const { customers, merchants } = stack.counts;
  log(`prefilling Redis with ${customers} customers and ${merchants} merchants`);
  await prefillOnlineStore({ databaseUrl: stack.pg.url, redisUrl: stack.redis.url, customers, merchants });
  const emulator = await startPubSubEmulator();
  cleanups.add('Pub/Sub emulator', () => emulator.stop());
  // A key whose limit is far above what the machine serves: the limiter's fast path on every request, no refusal.
  const key = await createTestApiKey(stack.pg.url, { owner: 'bench-hot-path', scopes: ['features:read'], rateLimitPerSecond: 1_000_000 });

  const common = {
    ...benchServingEnv(stack.pg.url, stack.redis.url),
    AUTH_MODE: 'on',
    // Every answer recorded and published to the emulator; no sink runs (on two cores it would take its CPU
    // from the services measured), so the records wait in the emulator.
    DECISIONS_RECORDING: 'on',
    MESSAGING: 'pubsub',
    PUBSUB_PROJECT_ID: emulator.projectId,
    PUBSUB_EMULATOR_HOST: emulator.host,
    SERVING_WORKERS: String(options.workers),
  };
  const profileRoot = options.profile ? join(options.dataDir ?? stack.scratchDir, 'profiles', startedAt.replace(/[:.]/g, '-')) : undefined;
  const start = async (app: App): Promise<Service> => {
    const http = await freePort();
    const grpc = app === 'grpc-serving' ? await freePort() : undefined;
    const env = { ...common, ...(grpc ? { HTTP_PORT: String(http), GRPC_PORT: String(grpc) } : { PORT: String(http) }) };
    const profileDir = profileRoot ? join(profileRoot, app) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const child = spawnWithNodeArgs(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [], () => spawnService(app, env));
    cleanups.add(app, () => child.stop());
    await waitForHttp(child, `http://127.0.0.1:${http}/health/ready`, 200, 90_000);
    return { app, process: child, http: `http://127.0.0.1:${http}`, ...(grpc ? { grpc: `127.0.0.1:${grpc}` } : {}), ...(profileDir ? { profileDir } : {}) };
  };
  const apps: App[] = options.only === 'rest' ? ['rest-gateway'] : options.only === 'grpc' ? ['grpc-serving'] : ['rest-gateway', 'grpc-serving'];
  log(`starting ${apps.join(' and ')} (access control on, decisions recorded to the emulator, SERVING_WORKERS=${options.workers}${options.profile ? ', CPU profiles on' : ''})`);
  const services = await Promise.all(apps.map(start));
  const gateway = services.find((s) => s.app === 'rest-gateway');
  const serving = services.find((s) => s.app === 'grpc-serving');
  const before = await Promise.all(services.map((s) => verificationCounters(s.http)));

  /** A run with the CPU the service (all its processes) and the generator spent per answered request. */
  const measured = async (servicePid: number | undefined, generator: 'child' | 'self', load: () => Promise<LoadResult>): Promise<HotPathRun> => {
    const meter = startCpuMeter(servicePid, { serverProcessTree: true });
    const result = await load();
    const cpu = meter();
    const generatorPercent = generator === 'child' ? (cpu.generatorChildrenPercent ?? null) : cpu.generatorPercent;
    return { ...result, serverCpuUsPerRequest: cpuUsPerRequest(cpu.serverPercent, result.seconds, result.requests), generatorCpuUsPerRequest: cpuUsPerRequest(generatorPercent, result.seconds, result.requests) };
  };
  // The measured runs of each service, on V8's clock (CLOCK_MONOTONIC, as process.hrtime): a profile is
  // summarised over them only, without the service's start and the warm-up.
  const measuredWindows = new Map<App, ProfileWindow>();
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const describe = (r: HotPathRun) => `${r.throughputRps} req/s, p99 ${r.p99Ms} ms, ${r.failures} failed, CPU per request: service ${r.serverCpuUsPerRequest} µs, generator ${r.generatorCpuUsPerRequest} µs`;

  let rest: Awaited<ReturnType<typeof restRuns>> | null = null;
  if (gateway) rest = await restRuns(gateway);
  let grpc: Awaited<ReturnType<typeof grpcRuns>> | null = null;
  if (serving) grpc = await grpcRuns(serving);
  // Peak resident memory of each service's processes (a worker pool: the primary and each worker) over
  // every run: what a larger young generation costs.
  const peakRssMb = Object.fromEntries(services.map((s) => [s.app, peakRssOfTree(s.process.child.pid as number)]));
  for (const [app, peaks] of Object.entries(peakRssMb)) log(`${app} peak RSS: ${peaks.map((mb) => `${mb} MB`).join(', ')}`);

  async function restRuns(service: Service) {
    log(`capturing rest-gateway's answers for customers 1..${Math.min(CAPTURED_BODIES, customers)} for the Fastify baseline`);
    const bodies = await captureReferenceBodies(service.http, merchants, Math.min(CAPTURED_BODIES, customers), key.headers);
    const baseline = await startBaseline(bodies, merchants, stack.scratchDir, cleanups);
    const script = writeWrkScript(stack.scratchDir, customers, merchants);
    // The baseline gets the key too: the same bytes on the wire, ignored.
    const wrk = (url: string, seconds: number) => runWrk({ baseUrl: url, script, seconds, connections: REST_CONNECTIONS, headers: key.headers });
    const sides = { service: { url: service.http, pid: service.process.child.pid }, baseline: { url: baseline.origin, pid: baseline.pid } } as const;
    log('REST: warming up (2 s each)');
    for (const side of Object.values(sides)) await wrk(side.url, 2);
    const fromUs = nowUs();
    const saturation: Record<keyof typeof sides, HotPathRun[]> = { service: [], baseline: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const name of alternate(round)) {
        const result = await measured(sides[name].pid, 'child', () => wrk(sides[name].url, options.duration));
        saturation[name].push(result);
        log(`round ${round} REST saturation, ${name}: ${describe(result)}`);
      }
    }
    // Half the saturation rate, twice: from a fleet of h2load processes (C, little CPU: the goal's figure)
    // and from this process's open-loop generator (latency from each request's due time, no coordinated
    // omission, but Node: on 2 cores it takes a third of a core from the server at these rates).
    const rate = halfRate(summariseSide(saturation.service).throughputRps);
    const paths = Array.from({ length: customers }, (_, i) => restFeaturePath(i + 1, merchants));
    const fixedRate: Record<keyof typeof sides, HotPathRun[]> = { service: [], baseline: [] };
    const openLoop: Record<keyof typeof sides, HotPathRun[]> = { service: [], baseline: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const name of alternate(round)) {
        const fleet = await measured(sides[name].pid, 'child', () =>
          runH2loadFleet({ origin: sides[name].url, paths, rate, processes: FLEET_PROCESSES, seconds: options.duration, dir: stack.scratchDir, headers: key.headers }),
        );
        fixedRate[name].push(fleet);
        log(`round ${round} REST at ${rate} req/s (h2load fleet), ${name}: ${describe(fleet)}`);
        const node = await measured(sides[name].pid, 'self', () => openLoopRest(sides[name].url, rate, options.duration, key.headers, merchants, customers));
        openLoop[name].push(node);
        log(`round ${round} REST at ${rate} req/s (Node open loop), ${name}: ${describe(node)}`);
      }
    }
    measuredWindows.set(service.app, { fromUs, toUs: nowUs() });
    return { rate, saturation, fixedRate, openLoop, summary: { saturation: summariseSides(saturation), fixedRate: summariseSides(fixedRate), openLoop: summariseSides(openLoop) } };
  }

  async function grpcRuns(service: Service) {
    const address = service.grpc as string;
    const batch = Array.from({ length: BATCH_CUSTOMERS }, (_, i) => i + 1);
    const requests = { one: encodeGrpcFeatureRequest([1], merchants), hundred: encodeGrpcFeatureRequest(batch, merchants) };
    log('capturing grpc-serving\'s answers to the 1- and 100-customer requests for the grpc-js baseline');
    const calls: CapturedCall[] = [];
    for (const request of Object.values(requests)) calls.push({ request, response: await callGetOnlineFeaturesRaw(address, request, key.headers) });
    const baseline = await startGrpcBaseline(calls, stack.scratchDir, cleanups);
    const files = { one: join(stack.scratchDir, 'grpc-1.bin'), hundred: join(stack.scratchDir, 'grpc-100.bin') };
    writeFileSync(files.one, grpcFrame(requests.one));
    writeFileSync(files.hundred, grpcFrame(requests.hundred));
    const h2load = (target: string, file: string, seconds: number, rpsPerClient?: number) =>
      runH2load({
        url: `http://${target}${GET_ONLINE_FEATURES_PATH}`,
        requestFile: file,
        logFile: join(stack.scratchDir, 'h2load.log'),
        seconds,
        clients: GRPC_CLIENTS,
        streamsPerClient: GRPC_STREAMS,
        headers: key.headers,
        ...(rpsPerClient === undefined ? {} : { rpsPerClient }),
      });
    const sides = { service: { address, pid: service.process.child.pid }, baseline: { address: baseline.address, pid: baseline.pid } } as const;
    log('gRPC: warming up (2 s each)');
    for (const side of Object.values(sides)) for (const file of Object.values(files)) await h2load(side.address, file, 2);
    const fromUs = nowUs();
    const one: Record<keyof typeof sides, HotPathRun[]> = { service: [], baseline: [] };
    const hundred: Record<keyof typeof sides, HotPathRun[]> = { service: [], baseline: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const [size, runs, file] of [['1', one, files.one], ['100', hundred, files.hundred]] as const) {
        for (const name of alternate(round)) {
          const result = await measured(sides[name].pid, 'child', () => h2load(sides[name].address, file, options.duration));
          runs[name].push(result);
          log(`round ${round} gRPC ${size} customer(s) per call, saturation, ${name}: ${describe(result)}`);
        }
      }
    }
    // h2load's --rps is a whole number per client: the rate is the nearest multiple of the clients to half
    // the saturation rate. Its latency runs from when a request was sent, which at that rate is when it was
    // due (a client holds 8 streams, far more than the rate needs).
    const perClient = Math.max(1, Math.round(halfRate(summariseSide(hundred.service).throughputRps) / GRPC_CLIENTS));
    const rate = perClient * GRPC_CLIENTS;
    const fixedRate: HotPathRun[] = [];
    const fixedRateRuntime: RuntimeDuring[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      // The runtime's own figures over the run say what the slowest answers waited for (a scrape resets the
      // event-loop delay histogram).
      const runtimeBefore = await metricsText(service.http);
      const result = await measured(sides.service.pid, 'child', () => h2load(address, files.hundred, options.duration, perClient));
      const runtime = runtimeDuring(runtimeBefore, await metricsText(service.http));
      fixedRate.push(result);
      fixedRateRuntime.push(runtime);
      log(`round ${round} gRPC 100 customers per call at ${rate} calls/s, service: ${describe(result)}; ${describeRuntime(runtime)}`);
    }
    measuredWindows.set(service.app, { fromUs, toUs: nowUs() });
    return { rate, one, hundred, fixedRate, fixedRateRuntime, summary: { one: summariseSides(one), hundred: summariseSides(hundred), fixedRate: summariseSide(fixedRate) } };
  }

  // h2load does not read gRPC trailers: the services' own counters show every request admitted and recorded.
  const after = await Promise.all(services.map((s) => verificationCounters(s.http)));
  const verification = Object.fromEntries(services.map((s, i) => [s.app, difference(after[i], before[i])]));
  for (const [app, counts] of Object.entries(verification)) {
    if (counts.refusedByAccessControl > 0 || counts.decisionsLost > 0) {
      // The service's own warnings say why (a failed publish names its error).
      const output = services.find((s) => s.app === app)?.process.output() ?? '';
      const warnings = output.split('\n').filter((line) => /"level":"(warn|error)"/.test(line)).slice(-5).join('\n');
      throw new Error(
        `${app}: ${counts.refusedByAccessControl} requests refused by access control, ${counts.decisionsLost} decisions not recorded, ${counts.publishFailures} failed publishes${warnings ? `; its last warnings:\n${warnings}` : ''}`,
      );
    }
  }

  let profiles: Record<string, ProfileSummary> | null = null;
  if (options.profile) {
    // A profile is written when the process exits normally: SIGTERM and a graceful shutdown.
    log('stopping the services so that they write their CPU profiles');
    for (const service of services) await service.process.stop();
    profiles = {};
    for (const service of services) {
      const files = readdirSync(service.profileDir as string).filter((f) => f.endsWith('.cpuprofile'));
      if (files.length === 0) throw new Error(`${service.app} wrote no CPU profile in ${service.profileDir}`);
      const window = measuredWindows.get(service.app);
      profiles[service.app] = summariseProfileFiles(
        files.map((f) => join(service.profileDir as string, f)),
        25,
        window ? [window] : undefined,
      );
    }
    log(`profiles in ${profileRoot}${options.dataDir ? '' : ' (removed at exit: give --data-dir to keep them)'}`);
  }

  const targets: Target[] = [];
  if (rest) {
    const { saturation, fixedRate, openLoop } = rest.summary;
    targets.push(
      throughputShareTarget('REST', saturation.service, saturation.baseline, GOALS.throughputShare),
      p99AgainstBaselineTarget('REST', rest.rate, fixedRate.service, fixedRate.baseline, GOALS.restP99Factor),
      reportedFigure(`REST p99 at ${rest.rate} req/s from the Node open-loop generator (no coordinated omission), service vs baseline`, `${openLoop.service.p99Ms} ms vs ${openLoop.baseline.p99Ms} ms`),
      ...cpuFigures('REST saturation', saturation),
    );
  }
  if (grpc) {
    const { one, hundred, fixedRate } = grpc.summary;
    targets.push(
      throughputShareTarget('gRPC 1 customer per call', one.service, one.baseline, GOALS.throughputShare, 'calls/s'),
      rowsPerSecondTarget(`gRPC ${BATCH_CUSTOMERS} customers per call`, hundred.service.throughputRps * BATCH_CUSTOMERS, options.grpc100ReferenceRows, GOALS.grpc100RowsFactor, hundred.service.failures),
      p99LimitTarget(`gRPC ${BATCH_CUSTOMERS} customers per call`, grpc.rate, fixedRate, GOALS.grpc100P99Ms),
      reportedFigure(
        `gRPC ${BATCH_CUSTOMERS} customers per call, service / baseline`,
        `${((hundred.service.throughputRps / hundred.baseline.throughputRps) * 100).toFixed(1)} % (${Math.round(hundred.service.throughputRps * BATCH_CUSTOMERS)} / ${Math.round(hundred.baseline.throughputRps * BATCH_CUSTOMERS)} rows/s)`,
      ),
      ...cpuFigures('gRPC 1 customer per call', one),
      ...cpuFigures(`gRPC ${BATCH_CUSTOMERS} customers per call`, hundred),
    );
  }
  return {
    command: `node -r ./tools/register.cjs tools/bench/src/hot-path-bench.ts ${argv.join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options,
    data: { customers, merchants },
    services: {
      environment: 'AUTH_MODE=on (x-api-key, features:read, 1,000,000/s), DECISIONS_RECORDING=on, MESSAGING=pubsub (emulator, no sink), ONLINE_STORE=redis with the L1 cache, LOG_LEVEL=warn, observability at its defaults',
      servingWorkers: options.workers,
      nodeOptions: Object.fromEntries(apps.map((app) => [app, serviceNodeOptions(app).join(' ')])),
      peakRssMb,
    },
    load: {
      restSaturation: `wrk -t1 -c${REST_CONNECTIONS} --latency, customers 1..N in turn, credit_decision_v1 with a merchant and a requested amount, x-api-key on both sides`,
      restFixedRate: `half the gateway's median saturation rate, customers 1..N: from ${FLEET_PROCESSES} h2load processes (--h1 -c 1 --rps, each from its own offset; the goal's figure), then from the benchmark's open-loop generator (latency from the intended send time, ${REST_CONNECTIONS} keep-alive connections)`,
      grpcSaturation: `h2load -c ${GRPC_CLIENTS} -m ${GRPC_STREAMS} -t 1, one request repeated: customer 1, or customers 1..${BATCH_CUSTOMERS} with their merchants`,
      grpcFixedRate: `h2load --rps (per client) at half grpc-serving's median ${BATCH_CUSTOMERS}-customer saturation rate`,
      baselines: 'Fastify serving rest-gateway\'s captured bodies; a bare grpc-js server answering grpc-serving\'s captured response bytes',
    },
    rest,
    grpc,
    verification,
    profiles,
    targets,
  };
}

const alternate = (round: number) => (round % 2 ? (['service', 'baseline'] as const) : (['baseline', 'service'] as const));

function summariseSides(runs: { readonly service: readonly HotPathRun[]; readonly baseline: readonly HotPathRun[] }): { service: SideSummary; baseline: SideSummary } {
  return { service: summariseSide(runs.service), baseline: summariseSide(runs.baseline) };
}

function cpuFigures(name: string, sides: { service: SideSummary; baseline: SideSummary }): Target[] {
  return [
    reportedFigure(`${name}, CPU per request, service vs baseline`, `${sides.service.serverCpuUsPerRequest} µs vs ${sides.baseline.serverCpuUsPerRequest} µs`),
    reportedFigure(`${name}, load generator CPU per request, service run vs baseline run`, `${sides.service.generatorCpuUsPerRequest} µs vs ${sides.baseline.generatorCpuUsPerRequest} µs`),
  ];
}

/**
 * Node flags for the services spawned in `spawn`. spawnService takes them from BNPL_SERVICE_NODE_ARGS in
 * this process's environment (Node 20 refuses --cpu-prof in NODE_OPTIONS), so it is set around the call.
 */
function spawnWithNodeArgs(nodeArgs: readonly string[], spawn: () => ServiceProcess): ServiceProcess {
  if (nodeArgs.length === 0) return spawn();
  const previous = process.env.BNPL_SERVICE_NODE_ARGS;
  process.env.BNPL_SERVICE_NODE_ARGS = [previous, ...nodeArgs].filter(Boolean).join(' ');
  try {
    return spawn();
  } finally {
    if (previous === undefined) delete process.env.BNPL_SERVICE_NODE_ARGS;
    else process.env.BNPL_SERVICE_NODE_ARGS = previous;
  }
}

/** The open-loop generator at `rate` req/s over 32 keep-alive connections, customers 1..N in turn. */
async function openLoopRest(origin: string, rate: number, seconds: number, headers: Readonly<Record<string, string>>, merchants: number, customers: number): Promise<LoadResult> {
  const client = new HttpFeatureClient(origin, merchants, REST_CONNECTIONS, headers);
  let n = 0;
  try {
    const summary = await runOpenLoop({ call: () => client.get((n++ % customers) + 1), ratePerSecond: rate, durationMs: seconds * 1000, warmupMs: 1_000 });
    return {
      requests: summary.requests,
      failures: summary.errors,
      seconds: summary.windowMs / 1000,
      throughputRps: Math.round(summary.throughputRps * 10) / 10,
      p50Ms: summary.latencyMs?.p50 ?? NaN,
      p99Ms: summary.latencyMs?.p99 ?? NaN,
    };
  } finally {
    await client.destroy();
  }
}

interface VerificationCounters {
  readonly refusedByAccessControl: number;
  readonly decisionsRecorded: number;
  readonly decisionsLost: number;
  readonly publishFailures: number;
}

async function verificationCounters(baseUrl: string): Promise<VerificationCounters> {
  const names = ['bnpl_auth_rejections_total', 'bnpl_decisions_recorded_total', 'bnpl_decisions_dropped_total', 'bnpl_decisions_rejected_total', 'bnpl_decisions_publish_failures_total'];
  const samples = sumSamples(await metricsText(baseUrl), names);
  const [refused, recorded, dropped, rejected, publishFailures] = names.map((n) => samples.get(n) ?? 0);
  return { refusedByAccessControl: refused, decisionsRecorded: recorded, decisionsLost: dropped + rejected, publishFailures };
}

function difference(after: VerificationCounters, before: VerificationCounters): VerificationCounters {
  return {
    refusedByAccessControl: after.refusedByAccessControl - before.refusedByAccessControl,
    decisionsRecorded: after.decisionsRecorded - before.decisionsRecorded,
    decisionsLost: after.decisionsLost - before.decisionsLost,
    publishFailures: after.publishFailures - before.publishFailures,
  };
}

async function metricsText(baseUrl: string): Promise<string> {
  return (await fetch(`${baseUrl}/metrics`)).text();
}

function describeRuntime(r: RuntimeDuring): string {
  const gc = Object.entries(r.gc)
    .map(([kind, g]) => `${kind} ${g.pauses} (${g.totalMs} ms, ${g.over10Ms} over 10 ms, ${g.over100Ms} over 100 ms)`)
    .join(', ');
  return `event-loop delay max ${r.eventLoopDelayMaxMs ?? '?'} ms, p99 ${r.eventLoopDelayP99Ms ?? '?'} ms; GC pauses: ${gc || 'none reported'}`;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
