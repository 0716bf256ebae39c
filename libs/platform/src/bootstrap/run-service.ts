import cluster from 'node:cluster';
import { type INestApplication, type LoggerService } from '@nestjs/common';
import { routeTracingDiagnostics, type DiagnosticSink } from '@bnpl/observability';
import { runWorkerPool } from '../cluster/worker-pool';
import { ConfigError } from '../config/config.error';
import { redactText } from '../logging/json-logger';
import { closeOnSignals } from './http-app';

export interface RunServiceOptions<C> {
  /**
   * How many worker processes the configuration asks for (SERVING_WORKERS). Above 1 this process becomes
   * the pool's primary (runWorkerPool) and each worker runs `start`. Default: one process, no pool.
   */
  readonly workers?: (config: C) => number;
}

/**
 * A service's process entry point: validate the environment (a bad variable stops the process with
 * exit code 2 and a message naming it), start the app, close it on SIGTERM/SIGINT; or, when the
 * configuration asks for several workers, run them (the environment is validated once, here, before any
 * is started).
 */
export function runService<C>(
  name: string,
  loadConfig: () => C,
  start: (config: C) => Promise<{ apps: Array<Pick<INestApplication, 'close'>>; logger: LoggerService }>,
  options: RunServiceOptions<C> = {},
): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${fatalLine(name, error.message)}\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const workers = options.workers?.(config) ?? 1;
  if (workers > 1 && cluster.isPrimary) {
    runWorkerPool({ service: name, workers, log: (level, message) => process.stdout.write(`${logLine(name, level, message)}\n`) });
    return;
  }
  start(config).then(
    ({ apps, logger }) => {
      routeTracingDiagnostics(tracingDiagnosticsTo(logger));
      closeOnSignals(apps, logger);
    },
    (error: Error) => {
      process.stderr.write(`${fatalLine(name, `failed to start: ${redactText(error.message)}`)}\n`);
      process.exit(1);
    },
  );
}

/**
 * The OpenTelemetry SDK's own messages (a batch of spans the exporter could not deliver) as the service's
 * log lines, with `context` OpenTelemetry: in its JSON format and redacted like every other line.
 */
export function tracingDiagnosticsTo(logger: LoggerService): DiagnosticSink {
  const context = 'OpenTelemetry';
  return (level, message) => {
    if (level === 'error') logger.error(message, context);
    else if (level === 'warn') logger.warn(message, context);
    else if (level === 'info') logger.log(message, context);
    else logger.debug?.(message, context);
  };
}

/** The shape of the service's log lines (see JsonLogger), written before any logger exists. */
function fatalLine(service: string, message: string): string {
  return logLine(service, 'fatal', message);
}

function logLine(service: string, level: string, message: string): string {
  return JSON.stringify({ level, time: new Date().toISOString(), service, message });
}
