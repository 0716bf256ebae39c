import { freePort, getJson, spawnService, startTestPostgres, waitForHttp, type ServiceProcess, type TestPostgres } from '@bnpl/testing';
import { catalogSchema, featureServiceSchema } from '../catalog/catalog.schema';
import { problemSchema } from '../errors/problem.schema';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  parameters?: Array<{ name: string; in: string; schema?: { example?: unknown } }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  security?: Array<Record<string, string[]>>;
  'x-required-scope'?: string;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** Every route the service answers, as `METHOD path`. */
const ROUTES = [
  'GET /v1/customers/{customerId}/features',
  'POST /v1/features/online',
  'POST /get-online-features',
  'GET /v1/catalog',
  'GET /v1/catalog/services/{name}',
  'POST /v1/jobs',
  'GET /v1/jobs',
  'GET /v1/jobs/{id}',
  'POST /v1/jobs/{id}/cancel',
  'GET /v1/schedules',
  'POST /v1/keys',
  'GET /v1/keys',
  'POST /v1/keys/{id}/revoke',
  'POST /v1/keys/{id}/rotate',
  'GET /v1/decisions/{decisionId}',
  'POST /v1/decisions/{decisionId}/outcome',
  'POST /v1/decisions/{decisionId}/replay',
  'GET /v1/decision-days/{day}/verification',
  'POST /v1/decision-days/{day}/replays',
  'GET /v1/decision-replays/{runId}',
  'POST /v1/decision-training-sets',
  'GET /metrics',
  'GET /health/live',
  'GET /health/ready',
  'GET /health/details',
];
/** The product API: documented with JSON schemas and problem+json errors. */
const API_ROUTES = ROUTES.filter((r) => !/\/(metrics|health)/.test(r));

describe('rest-gateway OpenAPI document and catalog (real PostgreSQL)', () => {
  let pg: TestPostgres;
  let service: ServiceProcess;
  let base: string;
  let document: OpenApiDocument;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService('rest-gateway', { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: pg.url, ONLINE_STORE: 'memory', LOG_LEVEL: 'warn' });
    await waitForHttp(service, `${base}/health/ready`);
    const response = await fetch(`${base}/docs/json`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = JSON.parse(await response.text()) as OpenApiDocument;
  });

  afterAll(async () => {
    await service?.stop();
    await pg?.stop();
  });

  describe('GET /docs/json', () => {
    it('is an OpenAPI 3.x document listing every route', () => {
      expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.info.title).toBeTruthy();
      const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
      expect(documented.sort()).toEqual([...ROUTES].sort());
    });

    it('documents each API operation with JSON schemas and its errors (problem+json, Feast\'s format on the Feast route), every $ref resolving', () => {
      for (const route of API_ROUTES) {
        const [method, path] = route.split(' ');
        const operation = document.paths[path][method.toLowerCase()];
        expect({ route, ok: operation.responses['200']?.content?.['application/json']?.schema?.$ref }).toEqual({ route, ok: expect.stringMatching(/^#\/components\/schemas\//) });
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        expect({ route, errors: errors.length > 0 }).toEqual({ route, errors: true });
        const [contentType, schema] = path === '/get-online-features' ? ['application/json', 'FeastError'] : ['application/problem+json', 'Problem'];
        for (const [, response] of errors) expect(response.content?.[contentType]?.schema?.$ref).toBe(`#/components/schemas/${schema}`);
        // Every POST but cancel, revoke and the replays carries a JSON body.
        if (method === 'POST' && !/\/(cancel|revoke|replay|replays)$/.test(route)) expect(operation.requestBody?.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
      }
      const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
      for (const ref of new Set(refs)) expect(Object.keys(document.components.schemas)).toContain(ref.slice('"$ref":"#/components/schemas/'.length, -1));
    });

    it('declares the credentials every API operation takes, and the scope it needs, so that Swagger UI\'s Authorize works', () => {
      expect(document.components.securitySchemes).toEqual({
        api_key: { type: 'apiKey', in: 'header', name: 'x-api-key', description: expect.any(String) },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: expect.any(String), description: expect.any(String) },
      });
      for (const route of API_ROUTES) {
        const [method, path] = route.split(' ');
        const operation = document.paths[path][method.toLowerCase()];
        expect({ route, security: operation.security }).toEqual({ route, security: expect.arrayContaining([{ api_key: [] }, { bearer: [] }]) });
        expect({ route, scope: operation['x-required-scope'] }).toEqual({ route, scope: expect.stringMatching(/^(features:read|catalog:read|jobs:read|jobs:write|audit:read|admin)$/) });
        for (const status of ['401', '403', '429']) expect({ route, status, documented: status in operation.responses }).toEqual({ route, status, documented: true });
      }
    });

    it('documents only routes that exist', async () => {
      for (const route of ROUTES) {
        const [method, template] = route.split(' ');
        const operation = document.paths[template][method.toLowerCase()];
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => String(operation.parameters?.find((p) => p.name === name)?.schema?.example ?? 'x'));
        const response = await fetch(`${base}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
        const body = await response.text();
        expect({ route, routed: !body.includes(`Cannot ${method}`) }).toEqual({ route, routed: true });
      }
    });
  });

  it('serves Swagger UI at /docs with its assets from this server (no internet needed)', async () => {
    const response = await fetch(`${base}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      // Relative to the page, /docs.
      const asset = await fetch(new URL(src, `${base}/docs`));
      expect({ src, status: asset.status }).toEqual({ src, status: 200 });
    }
    // The page's init script carries the same document /docs/json serves.
    const init = await (await fetch(`${base}/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"swaggerDoc"');
    expect(init).toContain('"/v1/features/online"');
  });

  describe('catalog', () => {
    it('GET /v1/catalog answers entities, views and services in the documented shape', async () => {
      const r = await getJson(`${base}/v1/catalog`);
      expect(r.status).toBe(200);
      const catalog = catalogSchema.parse(r.body);
      expect(catalog.entities.map((e) => e.join_key)).toEqual(['customer_id', 'merchant_id']);
      expect(catalog.views.find((v) => v.name === 'customer_exposure')).toMatchObject({ kind: 'stored', entity: 'customer', ttl_seconds: 3600 });
      expect(catalog.views.find((v) => v.name === 'credit_request')).toMatchObject({ kind: 'request', request_inputs: { requested_amount: 'MONEY' } });
      expect(catalog.services.map((s) => s.name)).toEqual(['credit_decision_v1']);
    });

    it('GET /v1/catalog/services/{name} answers the service as the catalog lists it', async () => {
      const [one, all] = await Promise.all([getJson(`${base}/v1/catalog/services/credit_decision_v1`), getJson(`${base}/v1/catalog`)]);
      expect(one.status).toBe(200);
      expect(featureServiceSchema.parse(one.body)).toEqual(catalogSchema.parse(all.body).services[0]);
    });

    it('answers an unknown service with a 404 problem naming it', async () => {
      const response = await fetch(`${base}/v1/catalog/services/credit_decision_v9`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problemSchema.parse(await response.json())).toMatchObject({
        status: 404,
        reason: 'UNKNOWN_FEATURE_SERVICE',
        detail: 'Unknown feature service "credit_decision_v9"',
        instance: '/v1/catalog/services/credit_decision_v9',
      });
    });
  });
});
