import { type Catalog } from '@bnpl/feature-definitions';
import { createJsonLogger, startHttpApp } from '@bnpl/platform';
import { FEATURE_CATALOG } from '@bnpl/serving-runtime';
import { RestGatewayModule } from './app.module';
import { answerClientErrorAsProblem } from './errors/client-error.handler';
import { ProblemJsonFilter } from './errors/problem-json.filter';
import { acceptJsonBodiesOnly } from './http/json-only';
import { serveOpenApi } from './openapi/openapi';
import { type RestGatewayConfig } from './config';

/** Starts rest-gateway and resolves once it listens. Used by main.ts and by the local stack. */
export async function startRestGateway(config: RestGatewayConfig) {
  const logger = createJsonLogger('rest-gateway', config.LOG_LEVEL);
  const app = await startHttpApp(RestGatewayModule.register(config), {
    host: config.HOST,
    port: config.PORT,
    logger,
    // Errors before any request exists (oversized headers) get problem+json too.
    clientErrorHandler: answerClientErrorAsProblem,
    beforeListen: async (app) => {
      app.useGlobalFilters(new ProblemJsonFilter());
      // Initialised here rather than by listen(): Nest registers its body parsers in init(), and they
      // are trimmed to JSON only right after.
      await app.init();
      acceptJsonBodiesOnly(app);
      serveOpenApi(app, app.get<Catalog>(FEATURE_CATALOG, { strict: false }));
    },
  });
  logger.log(`rest-gateway listening on http://${config.HOST}:${config.PORT} (OpenAPI at /docs)`);
  return { apps: [app], logger, urls: { http: `http://127.0.0.1:${config.PORT}` } };
}
