/**
 * The observability benchmark: what tracing (1 % sampling, exported over OTLP) and request metrics cost on
 * the read path, REST (wrk) and gRPC (h2load), against the same build with both off, in the same run.
 *
 *   node -r ./tools/register.cjs tools/bench/src/observability-bench.ts [--customers 10000] [--duration 8]
 *     [--rounds 3] [--data-dir DIR] [--report FILE]
 *
 * Prints measured / goal / met and writes a JSON report (tools/bench/reports/observability.json).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseCommandLine } from '@bnpl/command-line';
import { freePort } from '@bnpl/service-launchers';
import { spawnService, waitForHttp, type ServiceProcess } from '@bnpl/testing';
import { median, summarise, type OnOffRuns, type OnOffSummary, type Target } from './access-control/comparison';
import { grpcFrame, runH2load, runWrk, writeWrkScript, type LoadResult } from './access-control/load-tools';
import { sumSamples } from './metrics/prometheus-text';
import { startCpuMeter } from './stack/cpu-meter';
import { prefillOnlineStore } from './prefill-online-store';
import { machineInfo } from './report/bench-report';
import { startBenchStack } from './stack/bench-stack';
import { runBenchCommand } from './stack/bench-command';
import { encodeGrpcFeatureRequest } from './targets/grpc-raw-client';
import { sameRunCommand, sameRunOptions, type SameRunOptions } from './stack/same-run-flags';
import { Cleanups } from './stack/cleanups';
import { benchServingEnv } from './stack/serving-services';

const log = (message: string) => process.stdout.write(`[bench:observability] ${message}\n`);

/** The two sides compared: everything the issue asks to be cheap turned on, and all of it off. */
type Side = 'off' | 'on';

type Options = SameRunOptions;

function parseOptions(argv: readonly string[]): Options | 'help' {
  const parsed = parseCommandLine<Record<string, string>>(sameRunCommand('observability'), argv);
  return parsed.kind === 'help' ? 'help' : sameRunOptions(parsed.options);
}

/**
 * Where the "on" services export spans: answers every OTLP request at once and counts the bytes, so that
 * exporting costs the services what it costs against a real collector on the same host.
 */
async function startSpanSink(cleanups: Cleanups): Promise<{ url: string; requests: () => number; bytes: () => number }> {
  let requests = 0;
  let bytes = 0;
  const server: Server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  cleanups.add('OTLP sink', () => new Promise<void>((resolvePromise) => server.close(() => resolvePromise())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, bytes: () => bytes };
}

interface Service {
  readonly process: ServiceProcess;
  readonly http: string;
  readonly grpc?: string;
}

/** A load run and the CPU the server spent per answered request during it. */
interface MeasuredRun extends LoadResult {
  /**
   * From /proc (µs): unlike throughput, it hardly depends on how much of the machine the other processes
   * left to the server during the run, so it is the figure to trust on a busy machine.
   */
  readonly serverCpuUsPerRequest: number | null;
}

async function measured(service: Service, seconds: number, load: () => Promise<LoadResult>): Promise<MeasuredRun> {
  const cpu = startCpuMeter(service.process.child.pid);
  const result = await load();
  const { serverPercent } = cpu();
  const answered = result.requests - result.failures;
  return { ...result, serverCpuUsPerRequest: serverPercent === null || answered <= 0 ? null : Math.round(((serverPercent / 100) * result.seconds * 1e6) / answered) };
}

/** Medians of the server's CPU per request, and on / off. */
function cpuSummary(runs: { off: readonly MeasuredRun[]; on: readonly MeasuredRun[] }): { offUs: number; onUs: number; ratio: number } | null {
  const of = (side: readonly MeasuredRun[]) => side.map((r) => r.serverCpuUsPerRequest).filter((v): v is number => v !== null);
  const [off, on] = [of(runs.off), of(runs.on)];
  if (off.length === 0 || on.length === 0) return null;
  const [offUs, onUs] = [median(off), median(on)];
  return { offUs, onUs, ratio: Math.round((onUs / offUs) * 1000) / 1000 };
}

const main = (argv: readonly string[]) => runBenchCommand({ name: 'observability', parseOptions, benchmark, summary: (report) => formatTargets(report.targets) }, argv);

async function benchmark(options: Options, argv: readonly string[], cleanups: Cleanups) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const stack = await startBenchStack({ dataDir: options.dataDir, customers: options.customers, log }, cleanups);
  const { customers, merchants } = stack.counts;
  log(`prefilling Redis with ${customers} customers and ${merchants} merchants`);
  await prefillOnlineStore({ databaseUrl: stack.pg.url, redisUrl: stack.redis.url, customers, merchants });
  const sink = await startSpanSink(cleanups);

  const common = {
    ...benchServingEnv(stack.pg.url, stack.redis.url),
  };
  // "on": traces of 1 % of requests (every instrumentation loaded, every request's spans created and the
  // sampled ones exported), request-duration histograms, the access log at its default sampling.
  // "off": no tracing SDK at all, no request histograms. The runtime and read-path metrics are on in both:
  // they are sampled in the background or read at scrape time, never per request.
  const sides: Record<Side, Record<string, string>> = {
    off: { REQUEST_METRICS: 'off' },
    on: { REQUEST_METRICS: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.01' },
  };
  const start = async (app: 'rest-gateway' | 'grpc-serving', side: Side): Promise<Service> => {
    const http = await freePort();
    const grpc = app === 'grpc-serving' ? await freePort() : undefined;
    const env = { ...common, ...sides[side], ...(grpc ? { HTTP_PORT: String(http), GRPC_PORT: String(grpc) } : { PORT: String(http) }) };
    const child = spawnService(app, env);
    cleanups.add(`${app} (observability ${side})`, () => child.stop());
    await waitForHttp(child, `http://127.0.0.1:${http}/health/ready`, 200, 120_000);
    return { process: child, http: `http://127.0.0.1:${http}`, ...(grpc ? { grpc: `127.0.0.1:${grpc}` } : {}) };
  };
  log('starting rest-gateway and grpc-serving, each with observability off and on');
  const services = { restOff: await start('rest-gateway', 'off'), restOn: await start('rest-gateway', 'on'), grpcOff: await start('grpc-serving', 'off'), grpcOn: await start('grpc-serving', 'on') };

  const script = writeWrkScript(stack.scratchDir, customers, merchants);
  const requestFile = join(stack.scratchDir, 'get-online-features.bin');
  writeFileSync(requestFile, grpcFrame(encodeGrpcFeatureRequest([1], merchants)));
  const rest = (service: Service, seconds: number) => measured(service, seconds, () => runWrk({ baseUrl: service.http, script, seconds, connections: 32 }));
  const grpc = (service: Service, seconds: number) =>
    measured(service, seconds, () =>
      runH2load({ url: `http://${service.grpc}/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures`, requestFile, logFile: join(stack.scratchDir, 'h2load.log'), seconds, clients: 4, streamsPerClient: 8 }),
    );

  log('warming up (2 s each)');
  for (const service of [services.restOff, services.restOn]) await rest(service, 2);
  for (const service of [services.grpcOff, services.grpcOn]) await grpc(service, 2);
  const exportsBefore = sink.requests();

  const restRuns: { off: MeasuredRun[]; on: MeasuredRun[] } = { off: [], on: [] };
  const grpcRuns: { off: MeasuredRun[]; on: MeasuredRun[] } = { off: [], on: [] };
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate which goes first, so that a drift of the machine does not favour one side.
    const order: readonly Side[] = round % 2 ? ['off', 'on'] : ['on', 'off'];
    for (const side of order) {
      const result = await rest(side === 'off' ? services.restOff : services.restOn, options.duration);
      restRuns[side].push(result);
      log(`round ${round} REST ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, ${result.serverCpuUsPerRequest} µs CPU/request, ${result.failures} failed`);
    }
    for (const side of order) {
      const result = await grpc(side === 'off' ? services.grpcOff : services.grpcOn, options.duration);
      grpcRuns[side].push(result);
      log(`round ${round} gRPC ${side}: ${result.throughputRps} req/s, p99 ${result.p99Ms} ms, ${result.serverCpuUsPerRequest} µs CPU/request, ${result.failures} failed`);
    }
  }

  // The "on" side really traced and measured, and the "off" side did not: from the services' own pages.
  const counted = async (service: Service, metric: string) => sumSamples(await (await fetch(`${service.http}/metrics`)).text(), [metric]).get(metric) ?? 0;
  const verification = {
    restRequestsCountedOn: await counted(services.restOn, 'bnpl_http_server_request_duration_seconds_count'),
    restRequestsCountedOff: await counted(services.restOff, 'bnpl_http_server_request_duration_seconds_count'),
    grpcCallsCountedOn: await counted(services.grpcOn, 'bnpl_grpc_server_request_duration_seconds_count'),
    grpcCallsCountedOff: await counted(services.grpcOff, 'bnpl_grpc_server_request_duration_seconds_count'),
    otlpExportsDuringRuns: sink.requests() - exportsBefore,
    otlpBytes: sink.bytes(),
  };
  if (verification.restRequestsCountedOff + verification.grpcCallsCountedOff > 0 || verification.restRequestsCountedOn === 0 || verification.grpcCallsCountedOn === 0) {
    throw new Error(`the sides are not what they claim: ${JSON.stringify(verification)}`);
  }
  if (verification.otlpExportsDuringRuns === 0) throw new Error('the "on" services exported no span during the runs');

  const restSummary = { ...summarise(restRuns as OnOffRuns), cpu: cpuSummary(restRuns) };
  const grpcSummary = { ...summarise(grpcRuns as OnOffRuns), cpu: cpuSummary(grpcRuns) };
  const targets = [...observabilityTargets('REST', restSummary), ...observabilityTargets('gRPC', grpcSummary)];
  return {
    command: `node -r ./tools/register.cjs tools/bench/src/observability-bench.ts ${argv.join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options,
    data: { customers, merchants },
    sides: { off: sides.off, on: { ...sides.on, OTEL_EXPORTER_OTLP_ENDPOINT: 'an in-process OTLP/HTTP sink on 127.0.0.1' } },
    load: {
      rest: 'wrk -t1 -c32 --latency, customers 1..N in turn, credit_decision_v1 with a merchant and a requested amount',
      grpc: 'h2load -c 4 -m 8 -t 1, one GetOnlineFeatures request (customer 1, credit_decision_v1) repeated',
    },
    runs: { rest: restRuns, grpc: grpcRuns },
    summary: { rest: restSummary, grpc: grpcSummary },
    verification,
    targets,
  };
}

/**
 * The goal: at least 95 % of the throughput with tracing at 1 % and metrics on; p99 and the server's
 * CPU per request (the same cost, robust to a busy machine) reported beside it.
 */
export function observabilityTargets(name: string, summary: OnOffSummary & { cpu: ReturnType<typeof cpuSummary> }): Target[] {
  return [
    {
      target: `${name} throughput, tracing 1 % + metrics on / both off`,
      goal: '>= 95 %',
      measured: `${(summary.throughputRatio * 100).toFixed(1)} % (${summary.onRps} / ${summary.offRps} req/s)`,
      met: summary.throughputRatio >= 0.95,
    },
    {
      target: `${name} p99, on vs off`,
      goal: '(reported)',
      measured: `${summary.onP99Ms} ms vs ${summary.offP99Ms} ms (${summary.p99Ratio >= 1 ? '+' : ''}${((summary.p99Ratio - 1) * 100).toFixed(1)} %)`,
      met: true,
    },
    {
      target: `${name} server CPU per request, on vs off`,
      goal: '(reported)',
      measured: summary.cpu ? `${summary.cpu.onUs} µs vs ${summary.cpu.offUs} µs (${summary.cpu.ratio >= 1 ? '+' : ''}${((summary.cpu.ratio - 1) * 100).toFixed(1)} %)` : 'not measured (no /proc)',
      met: true,
    },
  ];
}

function formatTargets(targets: readonly Target[]): string {
  const rows = targets.map((t) => [t.target, t.goal, t.measured, t.met ? 'met' : 'NOT MET']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}


main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench:observability] failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
