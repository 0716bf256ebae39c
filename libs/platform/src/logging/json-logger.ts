import { type LoggerService, type LogLevel } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger as Pino } from 'pino';
import { activeTraceIds } from '@bnpl/observability';
import { currentRequestContext } from './request-context';

/** Nest's level names, most severe first, and pino's name for each. */
const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const PINO_LEVEL: Readonly<Record<LogLevel, Level>> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
/** Cloud Logging reads a line's severity from `severity` (https://cloud.google.com/logging/docs/structured-logging). */
const SEVERITY: Readonly<Record<string, string>> = { fatal: 'CRITICAL', error: 'ERROR', warn: 'WARNING', info: 'INFO', debug: 'DEBUG', trace: 'DEBUG' };

/** Structured fields of a log event: each becomes a top-level JSON field, never text inside the message. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Field paths whose values are replaced by `[REDACTED]` wherever a caller logs them (credentials in a config
 * object, request headers): pino's `redact`, compiled once, costs nothing for lines without them.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...['authorization', 'cookie', 'password', 'token', 'secret', 'apiKey', 'api_key', 'databaseUrl', 'DATABASE_URL'].flatMap((key) => [key, `*.${key}`]),
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

/** Credentials inside free text: `scheme://user:password@host`, bearer tokens, and our API keys' secrets. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s/]+@/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
/** `fsk_<id>_<secret>`: the public id stays (it names the key in logs), the secret goes. */
const API_KEY_SECRET = /\b(fsk_[0-9a-f]{12}_)[A-Za-z0-9_-]+/g;

/** The message with credentials replaced; the common case (nothing that looks like one) is three `includes`. */
export function redactText(text: string): string {
  let out = text;
  if (out.includes('://')) out = out.replace(URL_PASSWORD, '$1[REDACTED]@');
  if (out.includes('Bearer')) out = out.replace(BEARER, '$1[REDACTED]');
  if (out.includes('fsk_')) out = out.replace(API_KEY_SECRET, '$1[REDACTED]');
  return out;
}

let defaultDestination: DestinationStream | undefined;

/**
 * Where loggers created from now on write when not told otherwise (default: stdout). For a process that
 * hosts several apps (the local stack without Redis or the Pub/Sub emulator) and wants their lines in a file
 * rather than on its terminal; a service process never calls it.
 */
export function routeServiceLogsTo(destination: DestinationStream | undefined): void {
  defaultDestination = destination;
}

/**
 * A NestJS LoggerService over pino: one JSON object per line with `level` (a name; and `severity`, Cloud
 * Logging's name for it), `time` (ISO 8601),
 * `service`, the request id and trace and span ids of the request or message being handled (when there is
 * one), `context` (the Nest logger's name), the caller's structured fields as fields, and `message`.
 * Secrets are redacted by field path and inside the message text. Objects passed to Nest's `Logger` methods
 * (`logger.log('refilled', { rows: 3 })`) become fields; an Error becomes `err` (type, message, stack).
 */
export class JsonLogger implements LoggerService {
  readonly #pino: Pino;

  constructor(
    readonly service: string,
    level: LogLevel = 'log',
    destination: DestinationStream | undefined = defaultDestination,
  ) {
    this.#pino = pino(
      {
        level: PINO_LEVEL[level],
        base: { service },
        messageKey: 'message',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: {
          level: (label) => ({ level: label, severity: SEVERITY[label] ?? 'DEFAULT' }),
          // A URL with a password in any top-level field (a connection string in an error's fields).
          log: (fields) => {
            for (const [key, value] of Object.entries(fields)) if (typeof value === 'string' && value.includes('://')) fields[key] = redactText(value);
            return fields;
          },
        },
        redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
        // Read per line written (not per request): what request or trace the line belongs to.
        mixin: () => {
          const request = currentRequestContext();
          const trace = activeTraceIds();
          return {
            ...(request ? { request_id: request.requestId } : {}),
            ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}),
          };
        },
      },
      destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.#write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.#write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.#write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.#write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.#write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.#write('fatal', message, params);
  }

  /** Nest calls this with the levels to print: the least severe of them becomes the threshold. */
  setLogLevels(levels: LogLevel[]): void {
    const least = LEVELS.filter((l) => levels.includes(l)).pop();
    if (least) this.#pino.level = PINO_LEVEL[least];
  }

  /** Whether a line at `level` would be written: lets callers skip building fields for nothing. */
  isEnabled(level: 'info' | 'warn' | 'error' | 'debug'): boolean {
    return this.#pino.isLevelEnabled(level);
  }

  /** One event with structured fields (access log lines, for instance). */
  event(level: 'info' | 'warn' | 'error', message: string, fields: LogFields): void {
    this.#pino[level](fields, redactText(message));
  }

  /**
   * Nest's conventions: the Logger of a class passes its context name last; `error` may pass a stack string
   * before it; anything else (objects, Errors) is the caller's. A plain object as the message is all fields.
   */
  #write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.#pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = params;
    const last = rest[rest.length - 1];
    if (typeof last === 'string' && !looksLikeStack(last)) {
      fields['context'] = last;
      rest = rest.slice(0, -1);
    }
    for (const param of rest) {
      if (param instanceof Error) fields['err'] = param;
      else if (typeof param === 'string') fields[looksLikeStack(param) ? 'stack' : 'detail'] = param;
      else if (param !== null && typeof param === 'object') Object.assign(fields, param);
      else if (param !== undefined) fields['detail'] = param;
    }
    let text: string;
    if (typeof message === 'string') text = message;
    else if (message instanceof Error) {
      fields['err'] = message;
      text = message.message;
    } else if (message !== null && typeof message === 'object') {
      const { message: inner, msg, ...others } = message as Record<string, unknown>;
      Object.assign(fields, others);
      text = String(inner ?? msg ?? '');
    } else text = String(message);
    this.#pino[level](fields, redactText(text));
  }
}

function looksLikeStack(text: string): boolean {
  return text.includes('\n    at ');
}

/**
 * The service's logger: JSON lines on stdout (or where `routeServiceLogsTo` says), `level` and everything
 * more severe. Nest's level names: `fatal`, `error`, `warn`, `log`, `debug`, `verbose`.
 */
export function createJsonLogger(service: string, level: LogLevel = 'log'): JsonLogger {
  return new JsonLogger(service, level);
}
