import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { SCOPES, generateApiKey, startOfWindow, type Scope } from '@bnpl/access-control';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureServingServiceClient, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { createTestApiKey, freePort, startTestIdentityProvider, startTestStack, WORKSPACE_ROOT, type StartedService, type TestApiKey, type TestIdentityProvider, type TestStack } from '@bnpl/testing';

const deadline = () => Date.now() + 10_000;

/** grpc.health.v1.Health as loaded from its proto (no credential: probes must work without one). */
interface HealthClient {
  Check(request: { service: string }, options: { deadline: number }, cb: (error: ServiceError | null, response?: { status: string }) => void): void;
  close(): void;
}

/** A unary call's outcome: OK, or the status code with its details and reason. */
interface Outcome {
  code: number;
  details: string;
  reason?: string;
}

const CREDIT_DECISION = {
  feature_service: 'credit_decision_v1',
  entities: [{ keys: [{ join_key: 'customer_id', id: '1' }, { join_key: 'merchant_id', id: '1' }] }],
  request_context: { requested_amount: { money_value: { amount_minor: '5000', currency: 'EUR' } } },
};

/** Every RPC of FeatureServingService with the scope it needs. */
const RPCS: ReadonlyArray<{ rpc: 'GetOnlineFeatures' | 'GetCatalog' | 'GetFeatureService'; scope: Scope; request: object }> = [
  { rpc: 'GetOnlineFeatures', scope: 'features:read', request: CREDIT_DECISION },
  { rpc: 'GetCatalog', scope: 'catalog:read', request: {} },
  { rpc: 'GetFeatureService', scope: 'catalog:read', request: { name: 'credit_decision_v1' } },
];

describe('grpc-serving access control (real PostgreSQL, Redis and a JWKS server)', () => {
  let stack: TestStack;
  let idp: TestIdentityProvider;
  let service: StartedService;
  let client: FeatureServingServiceClient;
  let address: string;
  const only = new Map<Scope, TestApiKey>();
  const allBut = new Map<Scope, TestApiKey>();

  const metadataOf = (headers: Record<string, string>) => {
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
    return metadata;
  };

  const call = (rpc: string, request: object, headers: Record<string, string> = {}): Promise<Outcome> =>
    new Promise((resolve) => {
      const method = (client as unknown as Record<string, (r: object, m: Metadata, o: object, cb: (e: ServiceError | null) => void) => void>)[rpc].bind(client);
      method(request, metadataOf(headers), { deadline: deadline() }, (error) => {
        if (!error) return resolve({ code: status.OK, details: '' });
        resolve({ code: error.code, details: error.details, reason: error.metadata.get('reason')[0]?.toString() });
      });
    });

  beforeAll(async () => {
    [stack, idp] = await Promise.all([startTestStack(), startTestIdentityProvider()]);
    for (const scope of SCOPES) {
      only.set(scope, await createTestApiKey(stack.pg.url, { owner: `only-${scope.replace(':', '-')}`, scopes: [scope] }));
      allBut.set(scope, await createTestApiKey(stack.pg.url, { owner: `all-but-${scope.replace(':', '-')}`, scopes: SCOPES.filter((s) => s !== scope) }));
    }
    const grpcPort = await freePort();
    service = await stack.startService(
      'grpc-serving',
      {
        GRPC_PORT: String(grpcPort),
        AUTH_MODE: 'on',
        AUTH_JWT_JWKS_URL: idp.jwksUrl,
        AUTH_JWT_ISSUER: idp.issuer,
        AUTH_JWT_AUDIENCE: idp.audience,
        AUTH_RESTRICTED_SERVICES: 'credit_decision_v1=risk-engine|only-features-read',
        AUTH_RESTRICTED_VIEWS: 'customer_spending=risk-engine|only-features-read',
        RATE_LIMIT_DEFAULT_PER_SECOND: '1000',
      // The limits are what is tested here, not failing open: give a loaded test machine's Redis time to answer.
      RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
      },
      { portVariable: 'HTTP_PORT' },
    );
    address = `127.0.0.1:${grpcPort}`;
    const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
    const pkg = loadPackageDefinition(definition) as unknown as ServingProtoGrpcType;
    client = new pkg.bnpl.featurestore.v1.FeatureServingService(address, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await idp?.stop();
  });

  describe.each(RPCS)('$rpc (scope $scope)', ({ rpc, scope, request }) => {
    it('answers a key holding just that scope, in x-api-key or authorization: Bearer', async () => {
      const key = only.get(scope)?.key ?? '';
      expect(await call(rpc, request, { 'x-api-key': key })).toEqual({ code: status.OK, details: '' });
      expect(await call(rpc, request, { authorization: `Bearer ${key}` })).toEqual({ code: status.OK, details: '' });
    });

    it('refuses a call without a credential: UNAUTHENTICATED', async () => {
      expect(await call(rpc, request)).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'MISSING_CREDENTIALS' });
    });

    it('refuses a key with every other scope: PERMISSION_DENIED naming the scope', async () => {
      const outcome = await call(rpc, request, { 'x-api-key': allBut.get(scope)?.key ?? '' });
      expect(outcome).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'MISSING_SCOPE' });
      expect(outcome.details).toContain(scope);
    });
  });

  it.each<[string, () => Promise<Record<string, string>>, number, string]>([
    ['an unknown key', async () => ({ 'x-api-key': generateApiKey().plaintext }), status.UNAUTHENTICATED, 'INVALID_API_KEY'],
    ['a malformed authorization', async () => ({ authorization: 'Token abc' }), status.UNAUTHENTICATED, 'MALFORMED_CREDENTIALS'],
    ['an expired token', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', expiresIn: -120 })}` }), status.UNAUTHENTICATED, 'TOKEN_EXPIRED'],
    ['an alg:none token', async () => ({ authorization: `Bearer ${idp.unsigned({ scope: 'catalog:read' })}` }), status.UNAUTHENTICATED, 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    ['a token for another audience', async () => ({ authorization: `Bearer ${await idp.sign({ scope: 'catalog:read', audience: 'x' })}` }), status.UNAUTHENTICATED, 'TOKEN_WRONG_AUDIENCE'],
    ['an oversized token', async () => ({ authorization: `Bearer ${'a'.repeat(9_000)}` }), status.UNAUTHENTICATED, 'CREDENTIALS_TOO_LARGE'],
  ])('refuses %s, naming it', async (_what, headers, code, reason) => {
    const outcome = await call('GetCatalog', {}, await headers());
    expect(outcome).toMatchObject({ code, reason });
    expect(outcome.details.length).toBeLessThanOrEqual(300);
  });

  it('serves a valid token with its scopes', async () => {
    expect(await call('GetCatalog', {}, { authorization: `Bearer ${await idp.sign({ scope: 'catalog:read' })}` })).toMatchObject({ code: status.OK });
  });

  it('restricts feature services and views to named principals', async () => {
    const other = await createTestApiKey(stack.pg.url, { owner: 'web-app', scopes: ['features:read'] });
    expect(await call('GetOnlineFeatures', CREDIT_DECISION, other.headers)).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'FEATURE_SERVICE_RESTRICTED' });
    const byRefs = (refs: string[]) => ({ features: { refs }, entities: [{ keys: [{ join_key: 'customer_id', id: '1' }] }] });
    expect(await call('GetOnlineFeatures', byRefs(['customer_profile:kyc_level']), other.headers)).toMatchObject({ code: status.OK });
    expect(await call('GetOnlineFeatures', byRefs(['customer_profile:kyc_level', 'customer_spending:*']), other.headers)).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'FEATURE_VIEW_RESTRICTED' });
    expect(await call('GetOnlineFeatures', byRefs(['customer_spending:orders_30d']), only.get('features:read')?.headers)).toMatchObject({ code: status.OK });
  });

  it('answers RESOURCE_EXHAUSTED once a key has used its rate', async () => {
    const slow = await createTestApiKey(stack.pg.url, { owner: 'flood', scopes: ['catalog:read'], rateLimitPerSecond: 4 });
    // Budgets are per second of the clock: start the burst as one begins, and allow for each second it spans.
    await startOfWindow(1_000, 1_000);
    const started = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => call('GetCatalog', {}, slow.headers)));
    const seconds = Math.floor(Date.now() / 1_000) - Math.floor(started / 1_000) + 1;
    const admitted = outcomes.filter((o) => o.code === status.OK).length;
    const limited = outcomes.filter((o) => o.code === status.RESOURCE_EXHAUSTED);
    expect(admitted + limited.length).toBe(10);
    expect(admitted).toBeGreaterThanOrEqual(4);
    expect(admitted).toBeLessThanOrEqual(4 * seconds);
    expect(limited.length).toBeGreaterThanOrEqual(10 - 4 * seconds);
    expect(limited[0]).toMatchObject({ reason: 'RATE_LIMITED', details: expect.stringMatching(/retry in \d+ ms/) });
  });

  it('keeps the health service and the HTTP probes public', async () => {
    const pkg = loadPackageDefinition(loadSync(healthProtoPath, { keepCase: true, enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
    };
    const health = new pkg.grpc.health.v1.Health(address, credentials.createInsecure());
    try {
      const answer = await new Promise<{ status: string }>((resolve, reject) => health.Check({ service: '' }, { deadline: deadline() }, (e, r) => (e || !r ? reject(e) : resolve(r))));
      expect(answer.status).toBe('SERVING');
    } finally {
      health.close();
    }
    for (const path of ['/health/live', '/health/ready', '/metrics']) expect({ path, status: (await fetch(`${service.url}${path}`)).status }).toEqual({ path, status: 200 });
  });
});
