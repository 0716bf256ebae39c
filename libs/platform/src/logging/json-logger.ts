import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * One JSON object per line on stdout/stderr (Nest's own ConsoleLogger in json mode), which is what Cloud
 * Logging and most collectors parse without configuration. `level` and everything more severe is logged.
 */
export function createJsonLogger(service: string, level: LogLevel = 'log'): ConsoleLogger {
  return new ConsoleLogger(service, { json: true, colors: false, logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1) });
}
