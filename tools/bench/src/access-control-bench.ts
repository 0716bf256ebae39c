/**
 * The access-control benchmark: what authentication, authorization and rate limits cost on the read path,
 * REST (wrk) and gRPC (h2load), against the same build with them off, in the same run; and how exactly two
 * gateway instances sharing a rate limit through Redis hold a client to it.
 *
 *   node -r ./tools/register.cjs tools/bench/src/access-control-bench.ts [--customers 10000] [--duration 8]
 *     [--rounds 3] [--rate-limit 500] [--accuracy-seconds 10] [--data-dir DIR] [--report FILE]
 *
 * Prints measured / goal / met and writes a JSON report (tools/bench/reports/access-control.json).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, parseIntegerFlag } from '@bnpl/command-line';
import { createTestApiKey, spawnService, waitForHttp, type ServiceProcess } from '@bnpl/testing';
import { freePort } from '@bnpl/service-launchers';
import { accuracyTarget, formatTargets, onOffTargets, summarise, type AccuracyResult, type MeasuredRun, type Target } from './access-control/comparison';
import { grpcFrame, runH2load, runWrk, writeWrkScript, type LoadResult } from './access-control/load-tools';
import { startCpuMeter } from './stack/cpu-meter';
import { sumSamples } from './metrics/prometheus-text';
import { prefillOnlineStore } from './prefill-online-store';
import { machineInfo } from './report/bench-report';
import { startBenchStack } from './stack/bench-stack';
import { runBenchCommand } from './stack/bench-command';
import { encodeGrpcFeatureRequest } from './targets/grpc-raw-client';
import { onlyFlag, sameRunCommand, sameRunOptions, type SameRunOptions } from './stack/same-run-flags';
import { Cleanups } from './stack/cleanups';
import { benchServingEnv } from './stack/serving-services';

const log = (message: string) => process.stdout.write(`[bench:access-control] ${message}\n`);

interface Options extends SameRunOptions {
  rateLimit: number;
  accuracySeconds: number;
  connections: number;
  only?: 'rest' | 'grpc';
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const program = sameRunCommand('access-control')
    .option('--rate-limit <n>', 'the limit (requests/s) of the accuracy test: well below what two gateways serve here', '200')
    .option('--accuracy-seconds <n>', 'seconds over which admitted requests are counted', '10')
    .option('--connections <n>', 'REST connections (wrk -c); gRPC uses 4 clients x 8 streams', '32')
    .option('--only <interface>', 'rest or grpc: skip the other (and the accuracy test)');
  const parsed = parseCommandLine<Record<string, string>>(program, argv);
  if (parsed.kind === 'help') return 'help';
  const o = parsed.options;
  return {
    ...sameRunOptions(o),
    rateLimit: parseIntegerFlag('--rate-limit', o.rateLimit, 10),
    accuracySeconds: parseIntegerFlag('--accuracy-seconds', o.accuracySeconds, 2),
    connections: parseIntegerFlag('--connections', o.connections, 1),
    ...(o.only !== undefined ? { only: onlyFlag(o.only) } : {}),
  };
}

interface Service {
  readonly process: ServiceProcess;
  readonly http: string;
  readonly grpc?: string;
}

const main = (argv: readonly string[]) => runBenchCommand({ name: 'access-control', parseOptions, benchmark, summary: (report) => formatTargets(report.targets) }, argv);

async function benchmark(options: Options, argv: readonly string[], cleanups: Cleanups) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const stack = await startBenchStack({ dataDir: options.dataDir, customers: options.customers, log }, cleanups);
  const { customers, merchants } = stack.counts;
  log(`prefilling Redis with ${customers} customers and ${merchants} merchants`);
  await prefillOnlineStore({ databaseUrl: stack.pg.url, redisUrl: stack.redis.url, customers, merchants });

  // A key whose limit is far above what the machine serves: the limiter runs its fast path on every
  // request (leases, Redis round trips), but never refuses one.
  const key = await createTestApiKey(stack.pg.url, { owner: 'bench', scopes: ['features:read'], rateLimitPerSecond: 1_000_000 });
  const common = {
    ...benchServingEnv(stack.pg.url, stack.redis.url),
  };
  const start = async (app: 'rest-gateway' | 'grpc-serving', auth: 'on' | 'off'): Promise<Service> => {
    const http = await freePort();
    const grpc = app === 'grpc-serving' ? await freePort() : undefined;
    const env = { ...common, AUTH_MODE: auth, ...(grpc ? { HTTP_PORT: String(http), GRPC_PORT: String(grpc) } : { PORT: String(http) }) };
    const child = spawnService(app, env);
    cleanups.add(`${app} (access control ${auth})`, () => child.stop());
    await waitForHttp(child, `http://127.0.0.1:${http}/health/ready`, 200, 90_000);
    return { process: child, http: `http://127.0.0.1:${http}`, ...(grpc ? { grpc: `127.0.0.1:${grpc}` } : {}) };
  };
  log('starting rest-gateway and grpc-serving, each with access control off and on');
  const [restOff, restOn, grpcOff, grpcOn] = await Promise.all([start('rest-gateway', 'off'), start('rest-gateway', 'on'), start('grpc-serving', 'off'), start('grpc-serving', 'on')]);

  // The "on" services really check: no key is refused, the bench key is served.
  const probe = `/v1/customers/1/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=12000&currency=EUR`;
  const [refused, served] = [await fetch(`${restOn.http}${probe}`), await fetch(`${restOn.http}${probe}`, { headers: key.headers })];
  if (refused.status !== 401 || served.status !== 200) throw new Error(`rest-gateway with access control on answered ${refused.status} without a key and ${served.status} with one`);

  const script = writeWrkScript(stack.scratchDir, customers, merchants);
  const requestFile = join(stack.scratchDir, 'get-online-features.bin');
  writeFileSync(requestFile, grpcFrame(encodeGrpcFeatureRequest([1], merchants)));
  const rest = (service: Service, seconds: number) => runWrk({ baseUrl: service.http, script, seconds, connections: options.connections, ...(service === restOn ? { headers: key.headers } : {}) });
  const grpc = (service: Service, seconds: number) =>
    runH2load({
      url: `http://${service.grpc}/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures`,
      requestFile,
      logFile: join(stack.scratchDir, 'h2load.log'),
      seconds,
      clients: 4,
      streamsPerClient: 8,
      ...(service === grpcOn ? { headers: key.headers } : {}),
    });

  log('warming up (2 s each)');
  for (const service of [restOff, restOn]) await rest(service, 2);
  for (const service of [grpcOff, grpcOn]) await grpc(service, 2);
  const admittedBefore = await Promise.all([restOn, grpcOn].map((s) => admitted(s.http)));
  const rejectionsBefore = await Promise.all([restOn, grpcOn].map((s) => counter(s.http, 'bnpl_auth_rejections_total')));

  const restRuns: { off: MeasuredRun[]; on: MeasuredRun[] } = { off: [], on: [] };
  const grpcRuns: { off: MeasuredRun[]; on: MeasuredRun[] } = { off: [], on: [] };
  /** A run with the server's CPU time per answered request, read from /proc around it. */
  const measured = async (service: Service, load: () => Promise<LoadResult>): Promise<MeasuredRun> => {
    const cpu = startCpuMeter(service.process.child.pid);
    const result = await load();
    const { serverPercent } = cpu();
    const cpuUs = serverPercent === null || result.requests === 0 ? null : Math.round(((serverPercent / 100) * result.seconds * 1e6) / result.requests);
    return { ...result, serverCpuUsPerRequest: cpuUs };
  };
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate which goes first, so that a drift of the machine does not favour one side.
    const order = round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const side of options.only === 'grpc' ? [] : order) {
      const service = side === 'off' ? restOff : restOn;
      const result = await measured(service, () => rest(service, options.duration));
      restRuns[side].push(result);
      log(`round ${round} REST ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, server CPU ${result.serverCpuUsPerRequest} µs/request, ${result.failures} failed`);
    }
    for (const side of options.only === 'rest' ? [] : order) {
      const service = side === 'off' ? grpcOff : grpcOn;
      const result = await measured(service, () => grpc(service, options.duration));
      grpcRuns[side].push(result);
      log(`round ${round} gRPC ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, server CPU ${result.serverCpuUsPerRequest} µs/request, ${result.failures} failed`);
    }
  }
  // Every measured request of the "on" services went through the limiter and was admitted: a gRPC error
  // travels in trailers that h2load does not read, so the services' own counters are the check.
  const admittedAfter = await Promise.all([restOn, grpcOn].map((s) => admitted(s.http)));
  const rejections = await Promise.all([restOn, grpcOn].map((s) => counter(s.http, 'bnpl_auth_rejections_total')));
  const verification = {
    restAdmittedByLimiter: admittedAfter[0] - admittedBefore[0],
    restRequestsSent: restRuns.on.reduce((n, r) => n + r.requests, 0),
    grpcAdmittedByLimiter: admittedAfter[1] - admittedBefore[1],
    grpcRequestsSent: grpcRuns.on.reduce((n, r) => n + r.requests, 0),
    refusedByAccessControl: rejections[0] - rejectionsBefore[0] + rejections[1] - rejectionsBefore[1],
  };
  if (verification.refusedByAccessControl !== 0) throw new Error(`access control refused ${verification.refusedByAccessControl} benchmark requests`);

  for (const service of [restOff, grpcOff, grpcOn]) await service.process.stop();
  const accuracy = options.only ? null : await rateLimitAccuracy(options, stack.pg.url, restOn, () => start('rest-gateway', 'on'), script);

  const restSummary = options.only === 'grpc' ? null : summarise(restRuns);
  const grpcSummary = options.only === 'rest' ? null : summarise(grpcRuns);
  const targets: Target[] = [
    ...(restSummary ? onOffTargets('REST', restSummary) : []),
    ...(grpcSummary ? onOffTargets('gRPC', grpcSummary) : []),
    ...(accuracy ? [accuracyTarget(accuracy)] : []),
  ];
  return {
    command: `node -r ./tools/register.cjs tools/bench/src/access-control-bench.ts ${argv.join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options,
    data: { customers, merchants },
    load: {
      rest: `wrk -t1 -c${options.connections} --latency, customers 1..N in turn, credit_decision_v1 with a merchant and a requested amount; x-api-key on the "on" side`,
      grpc: 'h2load -c 4 -m 8 -t 1, one GetOnlineFeatures request (customer 1, credit_decision_v1) repeated; x-api-key on the "on" side',
    },
    rest: { runs: restRuns, summary: restSummary },
    grpc: { runs: grpcRuns, summary: grpcSummary },
    verification,
    rateLimitAccuracy: accuracy,
    targets,
  };
}

/**
 * Two rest-gateway instances on one Redis budget, a key limited to `rateLimit` per second, and a wrk per
 * instance asking far more. The instances' own admitted counters are read in the middle of a second of the
 * clock and again a whole number of seconds later: budgets are the clock's seconds, and a saturated limiter
 * admits its budget at the start of each, so the interval holds exactly that many budgets, far from the
 * instants the counters are read. Admitted / seconds is the limit if the limiter is exact.
 */
async function rateLimitAccuracy(options: Options, databaseUrl: string, first: Service, startAnother: () => Promise<Service>, script: string): Promise<AccuracyResult> {
  const second = await startAnother();
  const limited = await createTestApiKey(databaseUrl, { owner: 'bench-limited', scopes: ['features:read'], rateLimitPerSecond: options.rateLimit });
  const instances = [first, second];
  const loadSeconds = options.accuracySeconds + 4;
  log(`rate-limit accuracy: 2 instances, limit ${options.rateLimit}/s, ${loadSeconds} s of load, counted over ${options.accuracySeconds} s`);
  const loads = instances.map((service) => runWrk({ baseUrl: service.http, script, seconds: loadSeconds, connections: 16, headers: limited.headers }));
  await sleep(2_000);
  await sleep(1_500 - (Date.now() % 1_000));
  const startedAt = Date.now();
  const before = await Promise.all(instances.map((s) => admitted(s.http)));
  const failuresBefore = await Promise.all(instances.map((s) => counter(s.http, 'bnpl_rate_limit_store_failures_total')));
  await sleep(startedAt + options.accuracySeconds * 1000 - Date.now());
  const endedAt = Date.now();
  const after = await Promise.all(instances.map((s) => admitted(s.http)));
  const failuresAfter = await Promise.all(instances.map((s) => counter(s.http, 'bnpl_rate_limit_store_failures_total')));
  const windowSeconds = (endedAt - startedAt) / 1000;
  const results = await Promise.all(loads);
  const count = after.reduce((n, a, i) => n + a - before[i], 0);
  return {
    limitPerSecond: options.rateLimit,
    instances: instances.length,
    windowSeconds: Math.round(windowSeconds * 1000) / 1000,
    admitted: count,
    admittedPerSecond: Math.round((count / options.accuracySeconds) * 10) / 10,
    ratio: Math.round((count / options.accuracySeconds / options.rateLimit) * 1000) / 1000,
    offered: results.reduce((n, r) => n + r.requests, 0),
    limited: results.reduce((n, r) => n + r.failures, 0),
    offeredPerSecond: Math.round(results.reduce((n, r) => n + r.throughputRps, 0)),
    storeFailures: failuresAfter.reduce((n, f, i) => n + f - failuresBefore[i], 0),
  };
}

async function counter(baseUrl: string, name: string): Promise<number> {
  return sumSamples(await (await fetch(`${baseUrl}/metrics`)).text(), [name]).get(name) ?? 0;
}

async function admitted(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('bnpl_rate_limit_decisions_total{outcome="admitted"}'));
  return Number(line?.split(' ').at(-1) ?? 0);
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

void main(process.argv.slice(2)).then((code) => process.exit(code));
