import { type INestApplication, type LoggerService } from '@nestjs/common';
import { ConfigError } from '../config/config.error';
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
      process.stderr.write(`${JSON.stringify({ level: 'fatal', context: name, message: error.message })}\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  start(config).then(
    ({ apps, logger }) => closeOnSignals(apps, logger),
    (error: Error) => {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', context: name, message: `failed to start: ${error.message}` })}\n`);
      process.exit(1);
    },
  );
}
