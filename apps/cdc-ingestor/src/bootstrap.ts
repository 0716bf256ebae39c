import { createJsonLogger, startHttpApp, telemetryOptions } from '@bnpl/platform';
import { CdcIngestorModule } from './app.module';
import { type CdcIngestorConfig } from './config';

/** Starts cdc-ingestor and resolves once it listens. Used by main.ts and by the local stack. */
export async function startCdcIngestor(config: CdcIngestorConfig) {
  const logger = createJsonLogger('cdc-ingestor', config.LOG_LEVEL);
  const app = await startHttpApp(CdcIngestorModule.register(config), { host: config.HOST, port: config.PORT, logger, telemetry: telemetryOptions(config) });
  logger.log(`cdc-ingestor listening on http://${config.HOST}:${config.PORT}`);
  return { apps: [app], logger, urls: { http: `http://127.0.0.1:${config.PORT}` } };
}
