import { status as GrpcStatus, type Metadata, type Server, type ServerUnaryCall, type ServiceDefinition, type UntypedServiceImplementation, type sendUnaryData } from '@grpc/grpc-js';
import { type LoggerService } from '@nestjs/common';
import { type Histogram, type Meter } from '@opentelemetry/api';
import { activeTraceIds } from '@bnpl/observability';
import { DEFAULT_TELEMETRY, JsonLogger, REQUEST_DURATION_BUCKETS, requestIdFrom, runInRequestContext, type TelemetryOptions } from '@bnpl/platform';

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

/**
 * RED metrics, the access log and the request context of every unary RPC of a grpc-js server, measured at
 * the transport (from the call's arrival to its answer, whatever answered it: the handler, a guard, the
 * exception filter): `bnpl_grpc_server_request_duration_seconds{rpc, code, status_class}`, an access log
 * line per failed call and per sampled success, and the request id (the caller's `x-request-id` metadata
 * when sane, else a UUID) on every log line written while the call runs. Streaming methods (health Watch,
 * reflection) are left alone.
 *
 * Install in `onLoadPackageDefinition`, which runs before NestJS adds its services to the server: every
 * `addService` after this call is instrumented.
 */
export function instrumentGrpcServer(server: Server, options: { logger: LoggerService; meter?: Meter; telemetry?: TelemetryOptions }): void {
  const telemetry = options.telemetry ?? DEFAULT_TELEMETRY;
  const duration: Histogram | undefined =
    options.meter && telemetry.requestMetrics
      ? options.meter.createHistogram('bnpl_grpc_server_request_duration_seconds', {
          description: 'Duration of unary gRPC calls from arrival to answer, by method, status code and status class (the _count is the call counter)',
          advice: { explicitBucketBoundaries: [...REQUEST_DURATION_BUCKETS] },
        })
      : undefined;
  const addService = server.addService.bind(server);
  server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation) => {
    const wrapped: UntypedServiceImplementation = { ...implementation };
    for (const [name, method] of Object.entries(service)) {
      const handler = implementation[name] as UnaryHandler | undefined;
      if (!handler || method.requestStream || method.responseStream) continue;
      wrapped[name] = instrumentUnary(method.path.slice(1), handler, duration, options.logger, telemetry.accessLogSampleRate);
    }
    addService(service, wrapped);
  };
}

function instrumentUnary(rpc: string, handler: UnaryHandler, duration: Histogram | undefined, logger: LoggerService, sampleRate: number): UnaryHandler {
  return (call, callback) => {
    const started = performance.now();
    const requestId = requestIdFrom(metadataValue(call.metadata, 'x-request-id'));
    // The instrumentation's server span, when tracing is on, is active here.
    const trace = activeTraceIds();
    const answer: sendUnaryData<unknown> = (error, ...rest) => {
      const code = error ? (typeof error.code === 'number' ? error.code : GrpcStatus.UNKNOWN) : GrpcStatus.OK;
      const seconds = (performance.now() - started) / 1000;
      const codeName = CODE_NAMES.get(code) ?? String(code);
      const statusClass = grpcStatusClass(code);
      duration?.record(seconds, { rpc, code: codeName, status_class: statusClass });
      if (code !== GrpcStatus.OK || Math.random() < sampleRate) {
        const level = statusClass === 'server_error' ? 'error' : statusClass === 'client_error' ? 'warn' : 'info';
        const fields = { type: 'access', rpc, code: codeName, duration_ms: Math.round(seconds * 1e6) / 1e3, request_id: requestId, ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}) };
        if (logger instanceof JsonLogger) logger.event(level, `${rpc} ${codeName}`, fields);
        else logger[level === 'info' ? 'log' : level](`${rpc} ${codeName}`, 'AccessLog');
      }
      callback(error, ...rest);
    };
    runInRequestContext({ requestId }, () => handler(call, answer));
  };
}

function metadataValue(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}
