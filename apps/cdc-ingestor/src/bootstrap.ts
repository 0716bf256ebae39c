import { createJsonLogger, loadServerTls, startHttpApp, telemetryOptions } from '@bnpl/platform';
import { CdcIngestorModule } from './app.module';
import { type CdcIngestorConfig } from './config';

/** Starts cdc-ingestor and resolves once it listens. Used by main.ts and by the local stack. */
export async function startCdcIngestor(config: CdcIngestorConfig) {
  const logger = createJsonLogger('cdc-ingestor', config.LOG_LEVEL);
  const tls = loadServerTls('cdc-ingestor', config);
  const scheme = tls ? 'https' : 'http';
  const app = await startHttpApp(CdcIngestorModule.register(config), { host: config.HOST, port: config.PORT, logger, telemetry: telemetryOptions(config), tls });
  logger.log(`cdc-ingestor listening on ${scheme}://${config.HOST}:${config.PORT}`);
  return { apps: [app], logger, urls: { http: `${scheme}://127.0.0.1:${config.PORT}` } };
}
