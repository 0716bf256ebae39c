import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { Span } from '@opentelemetry/api';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { installTracingDiagnostics } from './tracing-diagnostics';
import { describeSampler, readTracingSettings, type InstrumentationName, type SamplerName, type TracingSettings } from './tracing-settings';

/** What the process's tracing is, once started. */
export interface Tracing {
  readonly enabled: boolean;
  /** One line for the start-up log: where spans go and how they are sampled, or why tracing is off. */
  readonly description: string;
  /** Flushes buffered spans and stops exporting. */
  shutdown(): Promise<void>;
}

/** Paths no trace is wanted for: probes and scrapes every few seconds would bury the real requests. */
const UNTRACED_PATHS = /^\/(?:health\/|metrics(?:\?|$))/;

/**
 * gRPC methods not traced: the Pub/Sub client's background calls (a stream that stays open, acks and lease
 * extensions of messages whose processing has a span of its own) and health and reflection probes.
 */
const UNTRACED_GRPC_METHODS = ['StreamingPull', 'ModifyAckDeadline', 'Acknowledge', 'Pull', 'Check', 'Watch', 'ServerReflectionInfo'];

/**
 * Starts OpenTelemetry tracing for this process as `settings` say; must run before the instrumented modules
 * (http, @grpc/grpc-js, ioredis, pg, @nestjs/core, fastify) are first required, which is why each app's
 * `main.ts` imports its `tracing.ts` first. Off, it loads nothing of the SDK: the process pays nothing.
 *
 * On, it registers the NodeSDK with the maintained instrumentations `settings.instrumentations` names (see
 * DEFAULT_INSTRUMENTATIONS): Fastify's routes (`@fastify/otel`: the server span, continuing the caller's
 * trace; no span per hook or handler), gRPC, ioredis and pg (only inside a traced operation: pollers and
 * keep-alives start no trace), and on request Node's HTTP and NestJS's. The exporter and its batching are
 * the SDK's own, from `OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_*` and `OTEL_BSP_*`. Only traces: metrics
 * are served on each service's /metrics, logs go to stdout. The SDK's own messages (a failed export) go to
 * the service's logger once it routes them (`routeTracingDiagnostics`), at `OTEL_LOG_LEVEL`.
 */
export function startTracing(settings: TracingSettings): Tracing {
  current = settings.enabled ? startSdk(settings) : { enabled: false, description: `tracing off (${settings.why})`, shutdown: async () => undefined };
  return current;
}

let current: Tracing | undefined;

/** The tracing this process started (for its start-up log line); off when nothing started it (tests, the in-process stack). */
export function currentTracing(): Tracing {
  return current ?? { enabled: false, description: 'tracing off (not started in this process)', shutdown: async () => undefined };
}

function startSdk(settings: Extract<TracingSettings, { enabled: true }>): Tracing {
  // Loaded here and only here: a process with tracing off never loads the SDK or the instrumentations.
  const { NodeSDK, core, resources, tracing } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');

  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    // Instances of one service are told apart by this id (two batch-processors running one job's shards).
    resource: resources.defaultResource().merge(resources.resourceFromAttributes({ 'service.instance.id': randomUUID() })),
    sampler: samplerOf(tracing, settings.sampler, settings.ratio),
    // Traces only: no OTLP metrics or log records (the SDK would otherwise default to exporting both).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentationsOf(settings.instrumentations),
  });
  // After the constructor, which installs the SDK's console logger when OTEL_LOG_LEVEL is set.
  installTracingDiagnostics(settings.logLevel, core.setGlobalErrorHandler);
  sdk.start();
  return {
    enabled: true,
    description: `tracing on: ${settings.destination}, sampler ${describeSampler(settings.sampler, settings.ratio)}, service.name ${settings.serviceName}, instrumentations ${settings.instrumentations.join(', ')}`,
    shutdown: () => sdk.shutdown(),
  };
}

type Instrumentation = NonNullable<NodeSDKConfiguration['instrumentations']>[number];

/** The instrumentations named, each loaded only when named. */
function instrumentationsOf(names: readonly InstrumentationName[]): Instrumentation[] {
  const loaders: Record<InstrumentationName, () => Instrumentation> = {
    http: () => {
      const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
      return new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''), requireParentforOutgoingSpans: true });
    },
    grpc: () => {
      const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc') as typeof import('@opentelemetry/instrumentation-grpc');
      return new GrpcInstrumentation({ ignoreGrpcMethods: UNTRACED_GRPC_METHODS });
    },
    ioredis: () => {
      const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
      return new IORedisInstrumentation({ requireParentSpan: true });
    },
    pg: () => {
      const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
      return new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true });
    },
    'nestjs-core': () => {
      const { NestInstrumentation } = require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
      return new NestInstrumentation();
    },
    fastify: () => {
      const { FastifyOtelInstrumentation } = require('@fastify/otel') as typeof import('@fastify/otel');
      // The route's request span only: no span per hook nor for the handler inside it (each costs every
      // request a span and a context switch, sampled or not).
      return new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        instrumentHandler: false,
        ignorePaths: (route: { url: string }) => UNTRACED_PATHS.test(route.url),
        // Named as the route, not `request` (a no-op on an unsampled request's span).
        requestHook: (span: Span, request: { method: string; routeOptions: { url?: string } }) => span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`),
      });
    },
  };
  return names.map((name) => loaders[name]());
}

function samplerOf(tracing: typeof import('@opentelemetry/sdk-node').tracing, name: SamplerName, ratio: number): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = tracing;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * The entry of each app's `tracing.ts` preload: reads the standard variables from `env` and starts tracing,
 * with the app's default instrumentations (DEFAULT_INSTRUMENTATIONS unless it makes spans of its own).
 * A bad variable stops the process with exit code 2 and a message naming it, as a bad service variable does.
 */
export function startTracingFromEnv(service: string, env: Readonly<Record<string, string | undefined>>, defaults: { instrumentations?: readonly InstrumentationName[] } = {}): Tracing {
  const { settings, problems } = readTracingSettings(service, env, defaults.instrumentations);
  if (problems.length > 0) {
    const message = `invalid environment: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service, message })}\n${message}\n`);
    process.exit(2);
  }
  return startTracing(settings);
}
