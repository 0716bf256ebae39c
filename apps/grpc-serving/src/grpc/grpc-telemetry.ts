import { status as GrpcStatus, type Metadata, type Server, type ServerUnaryCall, type ServiceDefinition, type UntypedServiceImplementation, type sendUnaryData } from '@grpc/grpc-js';
import { type LoggerService } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type TextMapGetter } from '@opentelemetry/api';
import { currentTracing } from '@bnpl/observability';
import { DEFAULT_TELEMETRY, JsonLogger, REQUEST_DURATION_BUCKETS, requestIdFrom, runInRequestContext, type HistogramSeries, type MetricsRegistry, type RequestHistogram, type TelemetryOptions } from '@bnpl/platform';

/** Status codes by number, for labels and log lines: `OK`, `INVALID_ARGUMENT`, ... */
const CODE_NAMES = new Map<number, string>(Object.entries(GrpcStatus).filter((e): e is [string, number] => typeof e[1] === 'number').map(([name, code]) => [code, name]));

/**
 * The caller's mistakes (what a retry with the same request cannot fix, or the caller's own cancel) as
 * opposed to the server's failures, which are what an availability SLO counts.
 */
const CLIENT_ERRORS = new Set<number>([
  GrpcStatus.CANCELLED,
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.ALREADY_EXISTS,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAUTHENTICATED,
]);

/** `ok`, `client_error` or `server_error`: the status class label of a gRPC status code. */
export function grpcStatusClass(code: number): 'ok' | 'client_error' | 'server_error' {
  if (code === GrpcStatus.OK) return 'ok';
  return CLIENT_ERRORS.has(code) ? 'client_error' : 'server_error';
}

type UnaryHandler = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => void;

const tracer = trace.getTracer('grpc-serving');

/** The caller's trace context (`traceparent`, `tracestate`) from the call's metadata. */
const METADATA_GETTER: TextMapGetter<Metadata> = {
  get: (metadata, key) => {
    const values = metadata.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
  keys: (metadata) => Object.keys(metadata.getMap()),
};

/**
 * RED metrics, the trace span, the access log and the request context of every unary RPC of a grpc-js
 * server, at the transport (from the call's arrival to its answer, whatever answered it: the handler, a
 * guard, the exception filter): `bnpl_grpc_server_request_duration_seconds{rpc, code, status_class}`; when
 * tracing is on, a server span continuing the caller's `traceparent` metadata, with the call's work beneath
 * it (this replaces the gRPC instrumentation's server spans, at a fraction of their cost per call); an access
 * log line per failed call and per sampled success; and the request id (the caller's `x-request-id`
 * metadata when sane, else a UUID) on every log line written while the call runs. Streaming methods (health
 * Watch, reflection) are left alone.
 *
 * Install in `onLoadPackageDefinition`, which runs before NestJS adds its services to the server: every
 * `addService` after this call is instrumented.
 */
export function instrumentGrpcServer(server: Server, options: { logger: LoggerService; metrics?: MetricsRegistry; telemetry?: TelemetryOptions; /** Default: whether this process started tracing. */ tracing?: boolean }): void {
  const telemetry = options.telemetry ?? DEFAULT_TELEMETRY;
  const duration =
    options.metrics && telemetry.requestMetrics
      ? options.metrics.requestHistogram(
          'bnpl_grpc_server_request_duration_seconds',
          'Duration of unary gRPC calls from arrival to answer, by method, status code and status class (the _count is the call counter)',
          ['rpc', 'code', 'status_class'],
          REQUEST_DURATION_BUCKETS,
        )
      : undefined;
  const addService = server.addService.bind(server);
  server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation) => {
    const wrapped: UntypedServiceImplementation = { ...implementation };
    for (const [name, method] of Object.entries(service)) {
      const handler = implementation[name] as UnaryHandler | undefined;
      if (!handler || method.requestStream || method.responseStream) continue;
      wrapped[name] = instrumentUnary(method.path.slice(1), handler, duration, options.logger, telemetry.accessLogSampleRate, options.tracing ?? currentTracing().enabled);
    }
    addService(service, wrapped);
  };
}

function instrumentUnary(rpc: string, handler: UnaryHandler, duration: RequestHistogram | undefined, logger: LoggerService, sampleRate: number, tracing: boolean): UnaryHandler {
  const [service, method] = rpc.split('/');
  const spanName = `grpc.${rpc}`;
  const spanAttributes = { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method };
  // One series per status code, looked up once: the call path only observes.
  const series = new Map<number, HistogramSeries>();
  const seriesOf = (code: number, codeName: string, statusClass: string) => {
    let found = series.get(code);
    if (!found && duration) series.set(code, (found = duration.series(rpc, codeName, statusClass)));
    return found;
  };
  return (call, callback) => {
    const started = performance.now();
    const requestId = requestIdFrom(metadataValue(call.metadata, 'x-request-id'));
    const parent = tracing ? propagation.extract(ROOT_CONTEXT, call.metadata, METADATA_GETTER) : ROOT_CONTEXT;
    const span: Span | undefined = tracing ? tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes: spanAttributes }, parent) : undefined;
    const callContext = span ? trace.setSpan(parent, span) : undefined;
    const ids = span ? idsOf(span) : undefined;
    const answer: sendUnaryData<unknown> = (error, ...rest) => {
      const code = error ? (typeof error.code === 'number' ? error.code : GrpcStatus.UNKNOWN) : GrpcStatus.OK;
      const seconds = (performance.now() - started) / 1000;
      const codeName = CODE_NAMES.get(code) ?? String(code);
      const statusClass = grpcStatusClass(code);
      seriesOf(code, codeName, statusClass)?.observe(seconds);
      if (span) {
        span.setAttribute('rpc.grpc.status_code', code);
        if (statusClass === 'server_error') span.setStatus({ code: SpanStatusCode.ERROR, message: (error as { details?: string; message?: string } | null)?.details ?? (error as { message?: string } | null)?.message ?? codeName });
        span.end();
      }
      if (code !== GrpcStatus.OK || Math.random() < sampleRate) {
        const level = statusClass === 'server_error' ? 'error' : statusClass === 'client_error' ? 'warn' : 'info';
        const fields = { type: 'access', rpc, code: codeName, duration_ms: Math.round(seconds * 1e6) / 1e3, request_id: requestId, ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}) };
        if (logger instanceof JsonLogger) logger.event(level, `${rpc} ${codeName}`, fields);
        else logger[level === 'info' ? 'log' : level](`${rpc} ${codeName}`, 'AccessLog');
      }
      callback(error, ...rest);
    };
    const run = () => runInRequestContext({ requestId }, () => handler(call, answer));
    if (callContext) context.with(callContext, run);
    else run();
  };
}

/** The span's ids for the access log line (which is written when the call is answered, outside its context). */
function idsOf(span: Span): { traceId: string; spanId: string } {
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function metadataValue(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}
