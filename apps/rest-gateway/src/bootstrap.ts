import { keyRevocationsBinding } from '@bnpl/access-control-nest';
import { type Catalog } from '@bnpl/feature-definitions';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { MESSAGING, type Messaging } from '@bnpl/messaging-nest';
import { createJsonLogger, loadServerTls, startHttpApp, telemetryOptions } from '@bnpl/platform';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { featureUpdatesBinding } from '@bnpl/serving-runtime';
import { RestGatewayModule } from './app.module';
import { answerClientErrorAsProblem } from './errors/client-error.handler';
import { answerFrameworkErrorAsProblem } from './errors/framework-error.handler';
import { ProblemJsonFilter } from './errors/problem-json.filter';
import { FEAST_ONLINE_FEATURES_PATH, feastErrorDialect } from './feast/feast-error.mapper';
import { drainRefusedBodies } from './http/drain-refused-body';
import { acceptJsonBodiesOnly } from './http/json-only';
import { readUntypedBodiesAsJson } from './http/untyped-json';
import { serveOpenApi } from './openapi/openapi';
import { type RestGatewayConfig } from './config';

/** Starts rest-gateway and resolves once it listens. Used by main.ts and by the local stack. */
export async function startRestGateway(config: RestGatewayConfig) {
  const logger = createJsonLogger('rest-gateway', config.LOG_LEVEL);
  // Every instance has a subscription of its own: each must drop every updated entity from its L1 cache.
  const featureUpdates = featureUpdatesBinding('rest-gateway', featureUpdatesTopic);
  const tls = loadServerTls('rest-gateway', config);
  const scheme = tls ? 'https' : 'http';
  const app = await startHttpApp(RestGatewayModule.register(config), {
    host: config.HOST,
    port: config.PORT,
    logger,
    telemetry: telemetryOptions(config),
    tls,
    // Errors before any request exists (oversized headers) get problem+json too.
    clientErrorHandler: answerClientErrorAsProblem,
    // So do the router's own (a path parameter over its length limit).
    frameworkErrors: answerFrameworkErrorAsProblem,
    beforeListen: async (app) => {
      // Errors are problem+json, but in Feast's own format on the route that imitates Feast's server.
      app.useGlobalFilters(new ProblemJsonFilter([feastErrorDialect]));
      readUntypedBodiesAsJson(app, [FEAST_ONLINE_FEATURES_PATH]);
      const messaging = app.get<Messaging>(MESSAGING, { strict: false });
      app.connectMicroservice({ strategy: messaging.transport([featureUpdates, keyRevocationsBinding('rest-gateway')]) }, { inheritAppConfig: true });
      // Initialised here rather than by listen(): Nest registers its body parsers in init(), and they
      // are trimmed to JSON only right after.
      await app.init();
      acceptJsonBodiesOnly(app);
      // A 413 (or any error answered before the body was read) reaches clients that send the whole body first.
      drainRefusedBodies(app);
      serveOpenApi(app, app.get<Catalog>(FEATURE_CATALOG, { strict: false }));
      await app.startAllMicroservices();
    },
  });
  logger.log(`rest-gateway listening on ${scheme}://${config.HOST}:${config.PORT} (OpenAPI at /docs), invalidating its cache on ${featureUpdatesTopic.name} through ${featureUpdates.subscription}`);
  return { apps: [app], logger, urls: { http: `${scheme}://127.0.0.1:${config.PORT}` } };
}
