import { type LoggerService } from '@nestjs/common';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, type HookHandlerDoneFunction } from 'fastify';
import { activeTraceIds } from '@bnpl/observability';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { runInRequestContext } from '../logging/request-context';
import { type MetricsRegistry } from '../metrics/metrics-registry';
import { type HistogramSeries, type RequestHistogram } from '../metrics/request-histogram';

/** What a service's requests record beside their answer; from `telemetryOptions(config)`. */
export interface TelemetryOptions {
  /** Share (0..1) of successful requests written to the access log; errors (4xx, 5xx) are always written. */
  readonly accessLogSampleRate: number;
  /** Record the request-duration histograms (off only to measure what they cost). */
  readonly requestMetrics: boolean;
}

export const DEFAULT_TELEMETRY: TelemetryOptions = { accessLogSampleRate: 0.01, requestMetrics: true };

/**
 * Bucket bounds (seconds) of every request-duration histogram, HTTP and gRPC alike: fine below 10 ms where
 * the read path answers, up to 10 s where a fallback under load or a batch request ends. 25 ms, 50 ms and
 * 100 ms are bounds, so latency SLOs on them are exact.
 */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Probes and scrapes: counted, but their successes never fill the access log. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

const TRACE = Symbol('bnpl.trace');
type Traced = FastifyRequest & { [TRACE]?: { traceId: string; spanId: string } };

/**
 * RED metrics, the access log and the request context of one Fastify app:
 * - every request's duration in `bnpl_http_server_request_duration_seconds{method, route, status_class}`
 *   (route is the template, `/v1/customers/:id/features`, or `unmatched`: label values stay bounded);
 * - an access log line per request that failed (4xx as warn, 5xx as error) and per sampled success;
 * - the request id (the caller's `x-request-id` when sane, else a UUID; echoed in the answer) on every log
 *   line written while the handler runs, with the trace id when tracing is on.
 * Hooks are installed before any route exists; the meter is attached once the app (and its MetricsModule)
 * exists.
 */
export class HttpTelemetry {
  #duration?: RequestHistogram;
  /** Series by method, route and status: looked up once per combination, not per request. */
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    private readonly logger: LoggerService,
    private readonly options: TelemetryOptions = DEFAULT_TELEMETRY,
  ) {}

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request: Traced, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      reply.header('x-request-id', request.id);
      // The HTTP server span is active here (when tracing is on); the access log is written after it ends.
      const trace = activeTraceIds();
      if (trace) request[TRACE] = trace;
      done();
    });
    // After the body is read (a body's stream events would lose an earlier context): the handler and
    // everything it starts run inside the request's context.
    fastify.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => runInRequestContext({ requestId: request.id }, done));
    fastify.addHook('onResponse', (request: Traced, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      this.#finished(request, reply);
      done();
    });
  }

  /** Attaches the app's metrics (its MetricsModule's registry); without them, nothing is recorded. */
  useRegistry(registry: MetricsRegistry | undefined): void {
    if (!registry || !this.options.requestMetrics) return;
    this.#duration = registry.requestHistogram(
      'bnpl_http_server_request_duration_seconds',
      'Duration of HTTP requests from receipt to the last byte of the answer, by method, route template and status class (the _count is the request counter)',
      ['method', 'route', 'status_class'],
      REQUEST_DURATION_BUCKETS,
    );
  }

  #finished(request: Traced, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    if (this.#duration) {
      const statusClass = `${Math.floor(status / 100)}xx`;
      const key = `${method} ${statusClass} ${route}`;
      let series = this.#series.get(key);
      if (!series) this.#series.set(key, (series = this.#duration.series(method, route, statusClass)));
      series.observe(ms / 1000);
    }
    const failed = status >= 400;
    if (!failed && (QUIET_ROUTES.has(route) || !(Math.random() < this.options.accessLogSampleRate))) return;
    const trace = request[TRACE];
    const fields: LogFields = {
      type: 'access',
      method: request.method,
      route,
      path: request.url.split('?', 1)[0],
      status,
      duration_ms: Math.round(ms * 1000) / 1000,
      request_id: request.id,
      ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}),
    };
    const level = status >= 500 ? 'error' : failed ? 'warn' : 'info';
    const message = `${request.method} ${route} ${status}`;
    if (this.logger instanceof JsonLogger) this.logger.event(level, message, fields);
    else if (level === 'info') this.logger.log(message, 'AccessLog');
    else this.logger[level](message, 'AccessLog');
  }
}
