import { createJsonLogger, startHttpApp } from '@bnpl/platform';
import { RestGatewayModule } from './app.module';
import { ProblemJsonFilter } from './errors/problem-json.filter';
import { type RestGatewayConfig } from './config';

/** Starts rest-gateway and resolves once it listens. Used by main.ts and by the local stack. */
export async function startRestGateway(config: RestGatewayConfig) {
  const logger = createJsonLogger('rest-gateway', config.LOG_LEVEL);
  const app = await startHttpApp(RestGatewayModule.register(config), {
    host: config.HOST,
    port: config.PORT,
    logger,
    beforeListen: async (app) => {
      app.useGlobalFilters(new ProblemJsonFilter());
    },
  });
  logger.log(`rest-gateway listening on http://${config.HOST}:${config.PORT}`);
  return { apps: [app], logger, urls: { http: `http://127.0.0.1:${config.PORT}` } };
}
