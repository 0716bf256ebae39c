import { type INestApplication, type LoggerService } from '@nestjs/common';
import { ConfigError } from '../config/config.error';
import { redactText } from '../logging/json-logger';
import { closeOnSignals } from './http-app';

/**
 * A service's process entry point: validate the environment (a bad variable stops the process with
 * exit code 2 and a message naming it), start the app, close it on SIGTERM/SIGINT.
 */
export function runService<C>(
  name: string,
  loadConfig: () => C,
  start: (config: C) => Promise<{ apps: Array<Pick<INestApplication, 'close'>>; logger: LoggerService }>,
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
  start(config).then(
    ({ apps, logger }) => closeOnSignals(apps, logger),
    (error: Error) => {
      process.stderr.write(`${fatalLine(name, `failed to start: ${redactText(error.message)}`)}\n`);
      process.exit(1);
    },
  );
}

/** The shape of the service's log lines (see JsonLogger), written before any logger exists. */
function fatalLine(service: string, message: string): string {
  return JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service, message });
}
