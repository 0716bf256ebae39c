import { context, diag, DiagLogLevel, ROOT_CONTEXT, type DiagLogger } from '@opentelemetry/api';

/** The severity of one of the OpenTelemetry SDK's own messages (an export that failed is an `error`). */
export type DiagnosticLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where the SDK's own messages go once the service's logger exists: one call per message. */
export type DiagnosticSink = (level: DiagnosticLevel, message: string) => void;

/** Messages kept while no sink is routed (the SDK starts before the service's logger exists). */
export const BUFFERED_DIAGNOSTICS = 50;
/** A message longer than this is cut: a failed export can carry a whole response body. */
export const MAX_DIAGNOSTIC_LENGTH = 2_000;

/**
 * The OpenTelemetry diag logger of a traced process. The SDK reports its own failures (a batch of spans the
 * exporter could not deliver, a bad variable it fell back from) only through `diag`; without a logger they
 * vanish, and the SDK's console logger would print them as plain text beside the service's JSON lines,
 * unredacted. This one hands each message to the service's logger, and keeps the first few that arrive
 * before that logger exists (the SDK starts in the preload, before the configuration is even read).
 */
export class TracingDiagnostics implements DiagLogger {
  #sink: DiagnosticSink | undefined;
  readonly #pending: Array<[DiagnosticLevel, string]> = [];
  #dropped = 0;

  /** Routes messages to `sink` from now on, first those kept until now (and how many did not fit). */
  route(sink: DiagnosticSink): void {
    this.#sink = sink;
    if (this.#dropped > 0) sink('warn', `${this.#dropped} earlier OpenTelemetry diagnostics were dropped before the logger existed`);
    for (const [level, message] of this.#pending.splice(0)) sink(level, message);
    this.#dropped = 0;
  }

  error(message: string, ...args: unknown[]): void {
    this.#emit('error', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.#emit('warn', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.#emit('info', message, args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.#emit('debug', message, args);
  }

  verbose(message: string, ...args: unknown[]): void {
    this.#emit('debug', message, args);
  }

  #emit(level: DiagnosticLevel, message: string, args: unknown[]): void {
    const text = diagnosticText(message, args);
    const sink = this.#sink;
    // Outside any trace: an export runs in the context of whatever request armed its timer, and its
    // failure is not that request's (the service's lines carry the active trace's ids).
    if (sink) context.with(ROOT_CONTEXT, () => sink(level, text));
    else if (this.#pending.length < BUFFERED_DIAGNOSTICS) this.#pending.push([level, text]);
    else this.#dropped++;
  }
}

/** The message and its arguments as one line: an Error by its name and message, objects as JSON, cut to a bound. */
export function diagnosticText(message: string, args: readonly unknown[]): string {
  const parts = [String(message), ...args.map(argumentText)].filter((part) => part !== '');
  const text = parts.join(' ').replace(/\s*\n\s*/g, ' ');
  return text.length > MAX_DIAGNOSTIC_LENGTH ? `${text.slice(0, MAX_DIAGNOSTIC_LENGTH)}...` : text;
}

function argumentText(arg: unknown): string {
  if (arg instanceof Error) {
    const code = (arg as { code?: unknown }).code;
    return `${arg.name}: ${arg.message}${code !== undefined && !arg.message.includes(String(code)) ? ` (code ${String(code)})` : ''}`;
  }
  if (typeof arg === 'string') return arg;
  if (arg === undefined) return '';
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

const diagnostics = new TracingDiagnostics();

/** OTEL_LOG_LEVEL's values, as the OpenTelemetry specification names them. */
export const DIAG_LOG_LEVELS = { none: DiagLogLevel.NONE, error: DiagLogLevel.ERROR, warn: DiagLogLevel.WARN, info: DiagLogLevel.INFO, debug: DiagLogLevel.DEBUG, verbose: DiagLogLevel.VERBOSE, all: DiagLogLevel.ALL } as const;
export type DiagLogLevelName = keyof typeof DIAG_LOG_LEVELS;

/**
 * Makes this process's diagnostics the OpenTelemetry diag logger at `level`, replacing the console logger
 * the SDK sets up itself when OTEL_LOG_LEVEL is set (so call it after the SDK is constructed).
 */
export function installTracingDiagnostics(level: DiagLogLevelName, setGlobalErrorHandler: (handler: (error: unknown) => void) => void): void {
  diag.setLogger(diagnostics, { logLevel: DIAG_LOG_LEVELS[level], suppressOverrideMessage: true });
  // The SDK hands what failed in the background (an export, above all) to its global error handler, whose
  // default writes the whole exception, stack and all, as JSON text: one readable line instead.
  setGlobalErrorHandler((error) => diag.error(SDK_FAILURE, error));
}

/** How a failure the SDK reports reads (a failed export drops the batch of spans it held). */
export const SDK_FAILURE = 'OpenTelemetry SDK failure (a failed export drops its batch of spans):';

/**
 * Sends the OpenTelemetry SDK's own messages to the service's logger (each service calls it once its
 * logger exists). With tracing off nothing is installed and nothing ever arrives.
 */
export function routeTracingDiagnostics(sink: DiagnosticSink): void {
  diagnostics.route(sink);
}
