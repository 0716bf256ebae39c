import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { API_KEY_SCHEME, BEARER_SCHEME } from '../auth/requires.decorator';
import { openApiComponentSchemas } from './api-schemas';

/** Swagger UI. */
export const OPENAPI_UI_PATH = '/docs';
/** The OpenAPI document, as JSON. */
export const OPENAPI_JSON_PATH = '/docs/json';

/**
 * The OpenAPI 3.0 document of the app, generated from its controllers' decorators, with the request and
 * response schemas generated from the zod schemas that validate bodies (built for `catalog`).
 */
export function buildOpenApiDocument(app: NestFastifyApplication, catalog: Catalog): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('BNPL feature store: rest-gateway')
    .setDescription(
      'Customer and merchant features for credit decisions, each with its status (PRESENT, DEFAULT, STALE, MISSING) and event time; a Feast-compatible read; the feature catalog. Errors are RFC 9457 `application/problem+json` with a stable `reason`. Request bodies are JSON of at most 1 MiB. Every operation needs a credential with the scope it names (`x-required-scope`): an API key in the `x-api-key` header, or a bearer token (a JWT from the identity provider, or an API key) in `Authorization`; never in the URL. Each answer carries RateLimit-* headers; a 429 carries Retry-After.',
    )
    .setVersion('1')
    .addTag('features', 'Feature reads')
    .addTag('feast', "Feast's feature server API")
    .addTag('catalog', 'Entities, feature views and feature services')
    .addTag('jobs', 'Batch jobs: materialization and backfill')
    .addTag('keys', 'API keys (scope admin)')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key: fsk_<id>_<secret>' }, API_KEY_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key', description: "A JWT from the company's identity provider, or an API key" }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, { ...config, components: { ...config.components, schemas: openApiComponentSchemas(describeCatalog(catalog)) } });
}

/**
 * Serves the document at OPENAPI_JSON_PATH and Swagger UI at OPENAPI_UI_PATH, its assets from the
 * installed swagger-ui-dist (through @fastify/static): the page works without internet access. Call
 * before the app listens.
 */
export function serveOpenApi(app: NestFastifyApplication, catalog: Catalog): void {
  const document = buildOpenApiDocument(app, catalog);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    customSiteTitle: document.info.title,
    // Swagger UI's Authorize dialog: the key or token entered is kept across reloads of the page.
    swaggerOptions: { persistAuthorization: true },
  });
}
