import { randomUUID } from 'node:crypto';
import { SCOPES, generateApiKey, startOfWindow, type Scope } from '@bnpl/access-control';
import { createTestApiKey, startTestIdentityProvider, startTestStack, type StartedService, type TestApiKey, type TestIdentityProvider, type TestStack } from '@bnpl/testing';
import { problemSchema } from '../errors/problem.schema';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

const CREDIT_DECISION = { feature_service: 'credit_decision_v1', entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { requested_amount: { amount_minor: '5000', currency: 'EUR' } } };

/** Every REST route but the public ones, with the scope it needs and the status a permitted call gets. */
interface RouteCase {
  readonly route: string;
  readonly scope: Scope;
  readonly ok: number;
  request(): Promise<{ path: string; init?: RequestInit }>;
}

const DECISION_ID = '0193a8f2-6c1e-7abc-8def-0123456789ab';
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('rest-gateway access control (real PostgreSQL, Redis and a JWKS server)', () => {
  let stack: TestStack;
  let idp: TestIdentityProvider;
  let service: StartedService;
  let admin: TestApiKey;
  /** A key per scope, holding that scope only, and one holding every scope but it. */
  const only = new Map<Scope, TestApiKey>();
  const allBut = new Map<Scope, TestApiKey>();

  const call = async (path: string, init: RequestInit = {}, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${service.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(text) as unknown;
      // Feast's errors are a JSON string holding the error document.
      body = (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, headers: response.headers, body };
  };

  const ROUTES: RouteCase[] = [
    { route: 'GET /v1/customers/{id}/features', scope: 'features:read', ok: 200, request: async () => ({ path: '/v1/customers/1/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=5000&currency=EUR' }) },
    { route: 'POST /v1/features/online', scope: 'features:read', ok: 200, request: async () => ({ path: '/v1/features/online', init: json(CREDIT_DECISION) }) },
    { route: 'POST /get-online-features', scope: 'features:read', ok: 200, request: async () => ({ path: '/get-online-features', init: json({ features: ['customer_profile:kyc_level'], entities: { customer_id: [1] } }) }) },
    { route: 'GET /v1/catalog', scope: 'catalog:read', ok: 200, request: async () => ({ path: '/v1/catalog' }) },
    { route: 'GET /v1/catalog/services/{name}', scope: 'catalog:read', ok: 200, request: async () => ({ path: '/v1/catalog/services/credit_decision_v1' }) },
    { route: 'POST /v1/jobs', scope: 'jobs:write', ok: 202, request: async () => ({ path: '/v1/jobs', init: json({ kind: 'materialize', views: ['customer_profile'] }) }) },
    { route: 'GET /v1/jobs', scope: 'jobs:read', ok: 200, request: async () => ({ path: '/v1/jobs' }) },
    { route: 'GET /v1/jobs/{id}', scope: 'jobs:read', ok: 404, request: async () => ({ path: `/v1/jobs/${randomUUID()}` }) },
    { route: 'POST /v1/jobs/{id}/cancel', scope: 'jobs:write', ok: 404, request: async () => ({ path: `/v1/jobs/${randomUUID()}/cancel`, init: { method: 'POST' } }) },
    { route: 'GET /v1/schedules', scope: 'jobs:read', ok: 200, request: async () => ({ path: '/v1/schedules' }) },
    // The decisions API forwards to the decisions service (a batch-processor), which this stack does not run:
    // a permitted call gets past access control and answers 503 for it.
    { route: 'GET /v1/decisions/{id}', scope: 'audit:read', ok: 503, request: async () => ({ path: `/v1/decisions/${DECISION_ID}` }) },
    { route: 'POST /v1/decisions/{id}/outcome', scope: 'features:read', ok: 503, request: async () => ({ path: `/v1/decisions/${DECISION_ID}/outcome`, init: json({ decision: 'approved' }) }) },
    { route: 'POST /v1/decisions/{id}/replay', scope: 'audit:read', ok: 503, request: async () => ({ path: `/v1/decisions/${DECISION_ID}/replay`, init: { method: 'POST' } }) },
    { route: 'GET /v1/decision-days/{day}/verification', scope: 'audit:read', ok: 503, request: async () => ({ path: '/v1/decision-days/2026-12-01/verification' }) },
    { route: 'POST /v1/decision-days/{day}/replays', scope: 'audit:read', ok: 503, request: async () => ({ path: '/v1/decision-days/2026-12-01/replays', init: { method: 'POST' } }) },
    { route: 'GET /v1/decision-replays/{id}', scope: 'audit:read', ok: 503, request: async () => ({ path: '/v1/decision-replays/r1' }) },
    { route: 'POST /v1/decision-training-sets', scope: 'jobs:write', ok: 503, request: async () => ({ path: '/v1/decision-training-sets', init: json({ from: '2026-11-01', to: '2026-11-30', feature_service: 'credit_decision_v1', output_file: '/tmp/x.csv' }) }) },
    { route: 'POST /v1/keys', scope: 'admin', ok: 201, request: async () => ({ path: '/v1/keys', init: json({ owner: 'new-client', scopes: ['catalog:read'] }) }) },
    { route: 'GET /v1/keys', scope: 'admin', ok: 200, request: async () => ({ path: '/v1/keys' }) },
    { route: 'POST /v1/keys/{id}/revoke', scope: 'admin', ok: 200, request: async () => ({ path: `/v1/keys/${(await createTestApiKey(stack.pg.url, { scopes: ['catalog:read'] })).id}/revoke`, init: { method: 'POST' } }) },
    { route: 'POST /v1/keys/{id}/rotate', scope: 'admin', ok: 200, request: async () => ({ path: `/v1/keys/${(await createTestApiKey(stack.pg.url, { scopes: ['catalog:read'] })).id}/rotate`, init: json({ grace_seconds: 60 }) }) },
  ];

  beforeAll(async () => {
    [stack, idp] = await Promise.all([startTestStack(), startTestIdentityProvider()]);
    admin = await createTestApiKey(stack.pg.url, { owner: 'sre', scopes: ['admin'] });
    for (const scope of SCOPES) {
      only.set(scope, await createTestApiKey(stack.pg.url, { owner: `only-${scope.replace(':', '-')}`, scopes: [scope] }));
      allBut.set(scope, await createTestApiKey(stack.pg.url, { owner: `all-but-${scope.replace(':', '-')}`, scopes: SCOPES.filter((s) => s !== scope) }));
    }
    service = await stack.startService('rest-gateway', {
      AUTH_MODE: 'on',
      AUTH_JWT_JWKS_URL: idp.jwksUrl,
      AUTH_JWT_ISSUER: idp.issuer,
      AUTH_JWT_AUDIENCE: idp.audience,
      AUTH_JWKS_COOLDOWN_MS: '0',
      AUTH_RESTRICTED_SERVICES: 'credit_decision_v1=risk-engine|only-features-read',
      AUTH_RESTRICTED_VIEWS: 'customer_spending=risk-engine|only-features-read',
      RATE_LIMIT_DEFAULT_PER_SECOND: '1000',
      // The limits are what is tested here, not failing open: give a loaded test machine's Redis time to answer.
      RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await idp?.stop();
  });

  describe.each(ROUTES)('$route (scope $scope)', ({ scope, ok, request }) => {
    it('answers a key holding just that scope', async () => {
      const { path, init } = await request();
      const answer = await call(path, init, only.get(scope)?.headers);
      expect({ status: answer.status, body: answer.status === ok ? 'ok' : answer.body }).toEqual({ status: ok, body: 'ok' });
      expect(answer.headers.get('ratelimit-limit')).toBe('1000');
    });

    it('refuses a call without a credential: 401', async () => {
      const { path, init } = await request();
      const answer = await call(path, init);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject(path.startsWith('/get-online-features') ? { class: 'MissingCredentialsError' } : { reason: 'MISSING_CREDENTIALS' });
    });

    it('refuses a key with every other scope: 403 naming the scope', async () => {
      const { path, init } = await request();
      const answer = await call(path, init, allBut.get(scope)?.headers);
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).toContain(scope);
    });
  });

  it('keeps the probes, the metrics and the OpenAPI document public', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs/json']) expect({ path, status: (await call(path)).status }).toEqual({ path, status: 200 });
  });

  it('says only up or down on /health/ready; the readiness details need scope admin', async () => {
    const ready = await call('/health/ready');
    for (const entry of Object.values(ready.body['details'] as Record<string, unknown>)) expect(entry).toEqual({ status: 'up' });
    expect((await call('/health/details')).status).toBe(401);
    expect((await call('/health/details', {}, allBut.get('admin')?.headers)).status).toBe(403);
    const details = await call('/health/details', {}, admin.headers);
    expect(details.status).toBe(200);
    expect(details.body['details']).toEqual(expect.objectContaining({ postgres: expect.objectContaining({ status: 'up' }) }));
  });

  it('answers problem+json for refusals, with a bounded detail and a stable reason', async () => {
    const answer = await call('/v1/catalog');
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(answer.body);
    expect(problem).toMatchObject({ status: 401, reason: 'MISSING_CREDENTIALS', title: 'Unauthorized' });
  });

  describe('bad credentials: a clear 401 or 403 naming the problem, never a 5xx', () => {
    const expired = async () => (await createTestApiKey(stack.pg.url, { scopes: ['catalog:read'], expiresAt: new Date(Date.now() + 1_000) })).key;
    const revoked = async () => {
      const key = await createTestApiKey(stack.pg.url, { scopes: ['catalog:read'] });
      expect((await call(`/v1/keys/${key.id}/revoke`, { method: 'POST' }, admin.headers)).status).toBe(200);
      return key.key;
    };
    const cases: Array<[string, () => Promise<Record<string, string>>, string, number, RegExp]> = [
      ['no credential', async () => ({}), 'MISSING_CREDENTIALS', 401, /x-api-key header/],
      ['an unknown key', async () => ({ 'x-api-key': generateApiKey().plaintext }), 'INVALID_API_KEY', 401, /^Invalid API key$/],
      ['a known key with a wrong secret', async () => ({ 'x-api-key': `${admin.key.slice(0, 17)}${'A'.repeat(43)}` }), 'INVALID_API_KEY', 401, /^Invalid API key$/],
      ['a malformed key', async () => ({ 'x-api-key': 'letmein' }), 'INVALID_API_KEY', 401, /key format/],
      ['a revoked key', async () => ({ 'x-api-key': await revoked() }), 'API_KEY_REVOKED', 401, /revoked/],
      ['an expired key', async () => ({ 'x-api-key': await (async () => { const key = await expired(); await new Promise((r) => setTimeout(r, 1_100)); return key; })() }), 'API_KEY_EXPIRED', 401, /expired/],
      ['Basic auth', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), 'MALFORMED_CREDENTIALS', 401, /Unsupported Authorization scheme/],
      ['an oversized token', async () => ({ authorization: `Bearer ${'a'.repeat(9_000)}` }), 'CREDENTIALS_TOO_LARGE', 401, /at most 8192/],
      ['a malformed token', async () => ({ authorization: 'Bearer not-a-jwt' }), 'MALFORMED_TOKEN', 401, /Malformed token/],
      ['an expired token', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', expiresIn: -120 })}` }), 'TOKEN_EXPIRED', 401, /expired/],
      ['a token not valid yet', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', notBefore: 600 })}` }), 'TOKEN_NOT_YET_VALID', 401, /not valid yet/],
      ['a token for another audience', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', audience: 'other-api' })}` }), 'TOKEN_WRONG_AUDIENCE', 401, /audience/],
      ['a token from another issuer', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', issuer: 'https://evil.example' })}` }), 'TOKEN_WRONG_ISSUER', 401, /issuer/],
      ['a token with an unknown kid', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', kid: 'k-unknown' })}` }), 'TOKEN_UNKNOWN_KEY', 401, /signing key/],
      ['an alg:none token', async () => ({ authorization: `Bearer ${idp.unsigned({ scope: 'catalog:read admin' })}` }), 'TOKEN_ALGORITHM_NOT_ALLOWED', 401, /algorithm/],
      ['an HS256 token signed with the public key', async () => ({ authorization: `Bearer ${idp.hmacWithPublicKey({ scope: 'catalog:read admin' })}` }), 'TOKEN_ALGORITHM_NOT_ALLOWED', 401, /algorithm/],
      ['a token without the scope', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'features:read' })}` }), 'MISSING_SCOPE', 403, /catalog:read/],
    ];

    it.each(cases)('%s', async (_what, headers, reason, status, detail) => {
      const answer = await call('/v1/catalog', {}, await headers());
      expect({ status: answer.status, reason: answer.body.reason }).toEqual({ status, reason });
      expect(String(answer.body.detail)).toMatch(detail);
      expect(String(answer.body.detail).length).toBeLessThanOrEqual(300);
    });

    it('answers an unknown key and a wrong secret alike', async () => {
      const unknown = await call('/v1/catalog', {}, { 'x-api-key': generateApiKey().plaintext });
      const wrong = await call('/v1/catalog', {}, { 'x-api-key': `${admin.key.slice(0, 17)}${'B'.repeat(43)}` });
      expect(wrong.body).toEqual({ ...unknown.body });
    });

    it('refuses a key in the URL, even beside a valid header', async () => {
      const key = only.get('catalog:read')?.key ?? '';
      for (const path of [`/v1/catalog?api_key=${key}`, `/v1/catalog?x-api-key=${key}`, `/v1/catalog?access_token=abc`]) {
        const answer = await call(path, {}, { 'x-api-key': key });
        expect({ path, status: answer.status, reason: answer.body.reason }).toEqual({ path, status: 401, reason: 'CREDENTIALS_IN_URL' });
        expect(String(answer.body.detail)).not.toContain(key);
        expect(String(answer.body.instance ?? '')).not.toContain(key.slice(17));
      }
    });
  });

  it('reads x-api-key when a platform token comes in Authorization too (Cloud Run IAM, Cloud Scheduler)', async () => {
    const googleIdToken = `Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
    expect((await call('/v1/catalog', {}, { 'x-api-key': only.get('catalog:read')?.key ?? '', authorization: googleIdToken })).status).toBe(200);
    expect(await call('/v1/catalog', {}, { 'x-api-key': only.get('jobs:read')?.key ?? '', authorization: googleIdToken })).toMatchObject({ status: 403, body: { reason: 'MISSING_SCOPE' } });
  });

  describe('tokens from the identity provider', () => {
    it('serve what their scopes allow, by Authorization: Bearer', async () => {
      const token = await idp.sign({ subject: 'alice', scope: 'features:read catalog:read' });
      expect((await call('/v1/catalog', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await call('/v1/customers/1/features?features=customer_profile:kyc_level', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await call('/v1/jobs', {}, { authorization: `Bearer ${token}` })).status).toBe(403);
    });

    it('never grant admin, whatever the token claims (scope escalation)', async () => {
      const token = await idp.sign({ subject: 'mallory', scope: 'admin features:read' });
      const answer = await call('/v1/keys', json({ owner: 'mallory', scopes: ['admin'] }), { authorization: `Bearer ${token}` });
      expect({ status: answer.status, reason: answer.body.reason }).toEqual({ status: 403, reason: 'MISSING_SCOPE' });
    });
  });

  it('refuses a key holding features:read from creating a key (scope escalation)', async () => {
    const answer = await call('/v1/keys', json({ owner: 'mallory', scopes: ['admin'] }), only.get('features:read')?.headers);
    expect({ status: answer.status, reason: answer.body.reason }).toEqual({ status: 403, reason: 'MISSING_SCOPE' });
  });

  it('restricts a feature service to named principals, on every read route', async () => {
    const other = await createTestApiKey(stack.pg.url, { owner: 'web-app', scopes: ['features:read'] });
    for (const route of ROUTES.filter((r) => r.route === 'GET /v1/customers/{id}/features' || r.route === 'POST /v1/features/online')) {
      const { path, init } = await route.request();
      const answer = await call(path, init, other.headers);
      expect({ route: route.route, status: answer.status, reason: answer.body.reason }).toEqual({ route: route.route, status: 403, reason: 'FEATURE_SERVICE_RESTRICTED' });
    }
    const feast = await call('/get-online-features', json({ feature_service: 'credit_decision_v1', entities: { customer_id: [1], merchant_id: [1], requested_amount: [{ amount_minor: '1', currency: 'EUR' }] } }), other.headers);
    expect(feast).toMatchObject({ status: 403, body: { class: 'FeatureServiceRestrictedError' } });
    // Reading the views directly is not reading the service; a restricted view is restricted everywhere.
    expect((await call('/v1/customers/1/features?features=customer_exposure:*', {}, other.headers)).status).toBe(200);
    const viewReads: Array<[string, RequestInit]> = [
      ['/v1/customers/1/features?features=customer_exposure:*,customer_spending:orders_30d', {}],
      ['/v1/features/online', json({ features: ['customer_spending:*'], entities: [{ customer_id: '1' }] })],
    ];
    for (const [path, init] of viewReads) {
      const answer = await call(path, init, other.headers);
      expect({ path, status: answer.status, reason: answer.body.reason }).toEqual({ path, status: 403, reason: 'FEATURE_VIEW_RESTRICTED' });
      expect({ path, status: (await call(path, init, only.get('features:read')?.headers)).status }).toEqual({ path, status: 200 });
    }
    expect(await call('/get-online-features', json({ features: ['customer_spending:orders_30d'], entities: { customer_id: [1] } }), other.headers)).toMatchObject({ status: 403, body: { class: 'FeatureViewRestrictedError' } });
  });

  it('limits each key to its rate: 429 with Retry-After and RateLimit headers, other keys unaffected', async () => {
    const slow = await createTestApiKey(stack.pg.url, { owner: 'flood', scopes: ['catalog:read'], rateLimitPerSecond: 5 });
    // Budgets are per second of the clock: start the burst as one begins, and allow for each second it spans.
    await startOfWindow(1_000, 1_000);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 12 }, () => call('/v1/catalog', {}, slow.headers)));
    const seconds = Math.floor(Date.now() / 1_000) - Math.floor(started / 1_000) + 1;
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    // A burst within one second gets its whole budget; one that a loaded machine spreads over a second's
    // end may lose what was leased and unused when that window closed (see LeasedRateLimiter).
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(seconds === 1 ? 5 : 1);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5 * seconds);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12 - 5 * seconds);
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.body).toMatchObject({ reason: 'RATE_LIMITED', status: 429 });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited?.headers.get('ratelimit-limit')).toBe('5');
    expect(limited?.headers.get('ratelimit-remaining')).toBe('0');
    expect((await call('/v1/catalog', {}, only.get('catalog:read')?.headers)).status).toBe(200);
  });

  it('counts refusals by reason on /metrics', async () => {
    const text = (await (await fetch(`${service.url}/metrics`)).text()).split('\n');
    expect(text.find((l) => l.startsWith('bnpl_auth_rejections_total{reason="MISSING_CREDENTIALS"}'))).toBeDefined();
    expect(text.find((l) => l.startsWith('bnpl_rate_limit_decisions_total{outcome="limited"}'))).toBeDefined();
  });
});
