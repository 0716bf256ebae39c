import { Body, Catch, Controller, Get, HttpCode, Module, Post, Query, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateApiKey, startOfWindow, type ApiKeyAdmin } from '@bnpl/access-control';
import { bnplCatalog, edgeStatusOf, FeatureStoreError } from '@bnpl/feature-definitions';
import { CatalogModule } from '@bnpl/platform';
import { AccessControlModule } from './access-control.module';
import type { AccessControlOptions } from './access-control-options';
import { API_KEY_ADMIN } from './access-control.tokens';
import { featuresInBody, featuresInQuery, PublicRoute, RequireScope } from './access-rule.decorator';

@Controller()
class ProbeController {
  @Get('v1/catalog')
  @RequireScope('catalog:read')
  catalog() {
    return { ok: true };
  }

  @Get('v1/customers/1/features')
  @RequireScope('features:read', { features: featuresInQuery('service', 'features') })
  features(@Query() query: unknown) {
    return { query };
  }

  @Post('v1/features/online')
  @HttpCode(200)
  @RequireScope('features:read', { features: featuresInBody('feature_service', 'features') })
  online(@Body() body: unknown) {
    return { body };
  }

  @Get('v1/undeclared')
  undeclared() {
    return { ok: true };
  }

  @Get('v1/open')
  @PublicRoute()
  open() {
    return { ok: true };
  }

  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }
}

/** The edges' mapping, in short: a FeatureStoreError by its kind. */
@Catch()
class StatusFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse();
    const status = error instanceof FeatureStoreError ? edgeStatusOf(error).http : 500;
    reply.status(status).send({ reason: (error as FeatureStoreError).reason ?? 'INTERNAL', detail: (error as Error).message });
  }
}

const options = (overrides: Partial<AccessControlOptions> = {}): AccessControlOptions => ({
  mode: 'on',
  service: 'probe',
  publicPaths: ['/health/live', '/health/ready'],
  keyStore: 'memory',
  keyCache: { maxEntries: 100, ttlMs: 30_000, negativeTtlMs: 1_000 },
  keyUsageFlushMs: 60_000,
  restrictions: { services: { credit_decision_v1: ['risk-engine'] }, views: {} },
  rateLimit: { store: { type: 'memory' }, defaultPerSecond: 50 },
  ...overrides,
});

async function startApp(opts: AccessControlOptions) {
  @Module({ imports: [CatalogModule.forRoot(bnplCatalog), AccessControlModule.forRootAsync({ useFactory: () => opts })], controllers: [ProbeController] })
  class ProbeModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new StatusFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('AccessGuard on a Fastify app', () => {
  let app: NestFastifyApplication;
  let admin: ApiKeyAdmin;
  let reader: string;
  let riskEngine: string;

  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: unknown) => {
    const response = await app.inject({ method, url, headers: payload ? { 'content-type': 'application/json', ...headers } : headers, ...(payload ? { payload: JSON.stringify(payload) } : {}) });
    return { status: response.statusCode, body: response.json() as { reason?: string; detail?: string }, headers: response.headers };
  };

  beforeAll(async () => {
    app = await startApp(options());
    admin = app.get<ApiKeyAdmin>(API_KEY_ADMIN);
    reader = (await admin.create({ owner: 'web-app', scopes: ['features:read'], rateLimitPerSecond: 1_000 })).plaintext;
    riskEngine = (await admin.create({ owner: 'risk-engine', scopes: ['features:read', 'catalog:read'] })).plaintext;
  });
  afterAll(() => app?.close());

  it('admits a key with the scope, by x-api-key or Bearer, with RateLimit headers', async () => {
    const byHeader = await call('GET', '/v1/catalog', { 'x-api-key': riskEngine });
    expect(byHeader.status).toBe(200);
    expect(byHeader.headers).toMatchObject({ 'ratelimit-limit': '50', 'ratelimit-policy': '50;w=1' });
    expect(Number(byHeader.headers['ratelimit-remaining'])).toBeLessThan(50);
    expect((await call('GET', '/v1/catalog', { authorization: `Bearer ${riskEngine}` })).status).toBe(200);
  });

  it('refuses what the key lacks the scope for, and names the scope', async () => {
    expect(await call('GET', '/v1/catalog', { 'x-api-key': reader })).toMatchObject({ status: 403, body: { reason: 'MISSING_SCOPE', detail: expect.stringContaining('catalog:read') } });
  });

  it('refuses calls without a credential, with an unknown key, a bearer token (no identity provider) and a key in the URL', async () => {
    expect(await call('GET', '/v1/catalog')).toMatchObject({ status: 401, body: { reason: 'MISSING_CREDENTIALS' } });
    expect(await call('GET', '/v1/catalog', { 'x-api-key': generateApiKey().plaintext })).toMatchObject({ status: 401, body: { reason: 'INVALID_API_KEY' } });
    expect(await call('GET', '/v1/catalog', { authorization: 'Bearer a.b.c' })).toMatchObject({ status: 401, body: { reason: 'TOKENS_NOT_ACCEPTED' } });
    expect(await call('GET', `/v1/catalog?api_key=${riskEngine}`, { 'x-api-key': riskEngine })).toMatchObject({ status: 401, body: { reason: 'CREDENTIALS_IN_URL' } });
  });

  it('holds undeclared routes to admin and lets public ones through', async () => {
    expect(await call('GET', '/v1/undeclared', { 'x-api-key': riskEngine })).toMatchObject({ status: 403, body: { reason: 'MISSING_SCOPE', detail: expect.stringContaining('admin') } });
    expect((await call('GET', '/v1/open')).status).toBe(200);
    expect((await call('GET', '/health/ready')).status).toBe(200);
  });

  it('enforces feature-service restrictions from the query and from the body', async () => {
    expect((await call('GET', '/v1/customers/1/features?service=credit_decision_v1', { 'x-api-key': riskEngine })).status).toBe(200);
    expect(await call('GET', '/v1/customers/1/features?service=credit_decision_v1', { 'x-api-key': reader })).toMatchObject({ status: 403, body: { reason: 'FEATURE_SERVICE_RESTRICTED' } });
    expect((await call('GET', '/v1/customers/1/features?features=customer_profile:*', { 'x-api-key': reader })).status).toBe(200);
    expect(await call('POST', '/v1/features/online', { 'x-api-key': reader }, { feature_service: 'credit_decision_v1' })).toMatchObject({ status: 403, body: { reason: 'FEATURE_SERVICE_RESTRICTED' } });
  });

  it('answers 429 with Retry-After once the key has used its budget', async () => {
    const limited = (await admin.create({ owner: 'flood', scopes: ['catalog:read'], rateLimitPerSecond: 3 })).plaintext;
    const answers = [];
    // Budgets are per second of the clock: the five calls (a few ms) fall in one.
    await startOfWindow(1_000, 300);
    for (let i = 0; i < 5; i++) answers.push(await call('GET', '/v1/catalog', { 'x-api-key': limited }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]).toMatchObject({ body: { reason: 'RATE_LIMITED' }, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' } });
  });

  it('takes a revoked key out at once on this instance', async () => {
    const created = await admin.create({ owner: 'temp', scopes: ['catalog:read'] });
    expect((await call('GET', '/v1/catalog', { 'x-api-key': created.plaintext })).status).toBe(200);
    await admin.revoke(created.record.id);
    expect(await call('GET', '/v1/catalog', { 'x-api-key': created.plaintext })).toMatchObject({ status: 401, body: { reason: 'API_KEY_REVOKED' } });
  });
});

describe('AccessGuard with AUTH_MODE=off', () => {
  it('lets every call through', async () => {
    const app = await startApp(options({ mode: 'off' }));
    try {
      expect((await app.inject({ method: 'GET', url: '/v1/undeclared' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/v1/catalog' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
