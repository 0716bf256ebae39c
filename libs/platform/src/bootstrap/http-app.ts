import { type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import { currentTracing } from '@bnpl/observability';
import { requestIdFrom } from '../logging/request-context';
import { withTimeout } from '../health/readiness-check';
import { type MetricsRegistry } from '../metrics/metrics-registry';
import { METRICS_REGISTRY } from '../metrics/metrics.module';
import { HttpTelemetry, type TelemetryOptions } from './http-telemetry';
import { registerSecurityHeaders, securityHeaders, withSecurityHeaders } from './security-headers';
import { type ServerTls } from '../tls/tls-files';

export interface HttpAppOptions {
  host: string;
  port: number;
  logger: LoggerService;
  /** Bytes; larger bodies get 413 before any handler runs. */
  bodyLimit?: number;
  /**
   * Answers errors before there is a request to route (oversized headers, a malformed request line);
   * Fastify's default answers plain JSON.
   */
  clientErrorHandler?: (error: Error & { code?: string }, socket: Duplex) => void;
  /**
   * Answers errors of Fastify's router, before any route or Nest filter (a path parameter over the length
   * limit, a malformed URL); Fastify's default answers plain JSON quoting the whole path.
   */
  frameworkErrors?: (error: Error & { code?: string; statusCode?: number }, request: unknown, reply: { code(status: number): { header(name: string, value: string): { send(body: unknown): unknown } } }) => void;
  /** Runs after the app is created and before it listens (e.g. to connect a gRPC microservice). */
  beforeListen?: (app: NestFastifyApplication) => Promise<void>;
  /** Access log sampling and request metrics (default: 1 % of successes logged, metrics on). */
  telemetry?: TelemetryOptions;
  /** Serve HTTPS (only) with this certificate and key (see loadServerTls); plain HTTP when absent. */
  tls?: ServerTls;
}

/**
 * Creates a NestJS application on Fastify and starts listening. Signals are not handled here: the
 * process entry point (main.ts, or the local stack running several apps in one process) owns them and
 * calls `app.close()`, so closing one app never exits a process that hosts others.
 *
 * Every request gets an id (the caller's `x-request-id` when sane, else a UUID), a duration in the request
 * metrics and, when it fails or is sampled, an access log line: see HttpTelemetry.
 * Every answer carries the security headers of SECURITY_HEADERS (@fastify/helmet).
 */
export async function startHttpApp(module: Parameters<typeof NestFactory.create>[0], options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    routerOptions: { maxParamLength: 200 },
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
    ...(options.clientErrorHandler ? { clientErrorHandler: options.clientErrorHandler } : {}),
    ...(options.frameworkErrors ? { frameworkErrors: withSecurityHeaders(options.frameworkErrors, await securityHeaders()) as never } : {}),
  });
  const telemetry = new HttpTelemetry(options.logger, options.telemetry);
  telemetry.install(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: options.logger, bufferLogs: false, abortOnError: false });
  // Before the routes (Nest adds them at listen): every answer carries them, errors, 404s and /docs included.
  await registerSecurityHeaders(app);
  telemetry.useRegistry(optionalRegistry(app));
  await options.beforeListen?.(app);
  await app.listen(options.port, options.host);
  options.logger.log(currentTracing().description, 'Telemetry');
  return app;
}

/** The app's metrics when it imports MetricsModule. */
function optionalRegistry(app: NestFastifyApplication): MetricsRegistry | undefined {
  try {
    return app.get<MetricsRegistry>(METRICS_REGISTRY, { strict: false });
  } catch {
    return undefined;
  }
}

/** How long the exit waits for buffered spans to be exported. */
const TRACES_FLUSH_MS = 3_000;

/**
 * Entry-point helper: on SIGTERM or SIGINT close every app (flush, disconnect) and exit 0; a second
 * signal, or closing for longer than `graceMs`, exits 1.
 */
export function closeOnSignals(apps: Array<Pick<INestApplication, 'close'>>, logger: LoggerService, graceMs = 15_000): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    Promise.all(apps.map((app) => app.close()))
      // Spans still buffered (the last requests, the shutdown itself) are sent before the process ends, for
      // a few seconds at most: an unreachable collector must not hold up the exit.
      .then(() => withTimeout(currentTracing().shutdown(), TRACES_FLUSH_MS, 'the trace exporter').catch((error: Error) => logger.warn(`spans not flushed: ${error.message}`)))
      .then(() => process.exit(0))
      .catch((error: Error) => {
        logger.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
