import { type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { routeServiceLogsTo } from '@bnpl/platform';

/**
 * Where the services' log lines go while the local stack runs: one file per service under
 * `<data dir>/logs/` (truncated at each start), so that the terminal keeps the banner; with `--verbose`, the
 * terminal, each line prefixed with the service's name.
 */
export class ServiceLogs {
  readonly dir: string;
  readonly #files = new Map<string, WriteStream>();

  constructor(
    dataDir: string,
    readonly verbose: boolean,
  ) {
    this.dir = join(dataDir, 'logs');
  }

  /** The file of one service's lines (services sharing this process write `services.log`). */
  fileOf(service: string): string {
    return join(this.dir, `${service}.log`);
  }

  /** Sends a service process's stdout and stderr to its file, or to the terminal with --verbose. */
  attach(service: string, child: ChildProcess): void {
    if (this.verbose) {
      const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((line) => `${service.padEnd(15)} | ${line}\n`).join('');
      child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
      child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
      return;
    }
    const file = this.#file(service);
    // Not pipe(): a child that is restarted attaches again to the same, still open, file.
    child.stdout?.on('data', (c: Buffer) => file.write(c));
    child.stderr?.on('data', (c: Buffer) => file.write(c));
  }

  /** For services started inside this process: their JSON lines go to `services.log` (or stay on the terminal with --verbose). */
  routeInProcessServices(): void {
    if (this.verbose) return;
    mkdirSync(this.dir, { recursive: true });
    routeServiceLogsTo(pino.destination({ dest: this.fileOf('services'), sync: false, mkdir: true }));
  }

  /** The banner's line: where the lines are. */
  describe(inProcess: boolean): string {
    if (this.verbose) return 'on this terminal (--verbose), one JSON object per line';
    return `${inProcess ? this.fileOf('services') : join(this.dir, '<service>.log')} (one JSON object per line; --verbose prints them here instead)`;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#files.values()].map((file) => new Promise<void>((resolve) => file.end(resolve))));
    this.#files.clear();
  }

  #file(service: string): WriteStream {
    let file = this.#files.get(service);
    if (!file) {
      mkdirSync(this.dir, { recursive: true });
      file = createWriteStream(this.fileOf(service), { flags: 'w' });
      this.#files.set(service, file);
    }
    return file;
  }
}

/** The banner's lines on metrics and traces (the services inherit the stack's OTEL_* variables). */
export function observabilityBanner(metricsUrls: readonly string[], env: Readonly<Record<string, string | undefined>>, inProcess: boolean): string {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const traces = inProcess
    ? 'off: traced only when the services run as separate processes (Redis and the Pub/Sub emulator installed)'
    : endpoint
      ? `OTLP to ${endpoint} (sampler ${env['OTEL_TRACES_SAMPLER'] ?? 'parentbased_traceidratio'}${env['OTEL_TRACES_SAMPLER_ARG'] ? ` ${env['OTEL_TRACES_SAMPLER_ARG']}` : env['OTEL_TRACES_SAMPLER'] ? '' : ', 1 %'})`
      : 'off: start with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 OTEL_TRACES_SAMPLER=parentbased_always_on\n                   (`docker compose up -d otel-collector jaeger` runs one, with Jaeger at http://localhost:16686)';
  return `  metrics          ${metricsUrls.join(', ')}  (Prometheus text)\n  traces           ${traces}\n`;
}
