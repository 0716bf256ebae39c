import { createJsonLogger, startHttpApp } from '@bnpl/platform';
import { BatchProcessorModule } from './app.module';
import { type BatchProcessorConfig } from './config';

/** Starts batch-processor and resolves once it listens. Used by main.ts and by the local stack. */
export async function startBatchProcessor(config: BatchProcessorConfig) {
  const logger = createJsonLogger('batch-processor', config.LOG_LEVEL);
  const app = await startHttpApp(BatchProcessorModule.register(config), { host: config.HOST, port: config.PORT, logger });
  logger.log(`batch-processor listening on http://${config.HOST}:${config.PORT}`);
  return { apps: [app], logger, urls: { http: `http://127.0.0.1:${config.PORT}` } };
}
