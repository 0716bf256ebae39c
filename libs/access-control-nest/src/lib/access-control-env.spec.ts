import { loadConfig } from '@bnpl/platform';
import { z } from 'zod';
import { accessControlEnvSchema, checkAccessControlEnv, toAccessControlOptions } from './access-control-env';

const schema = z.object({ ...accessControlEnvSchema.shape, REDIS_URL: z.string().default('redis://127.0.0.1:6379'), ONLINE_STORE: z.string().default('redis') });
const load = (env: Record<string, string>) => loadConfig('probe', schema, env, [checkAccessControlEnv]);

describe('access-control environment', () => {
  it('is on by default, API keys only, limits shared through REDIS_URL, /metrics public', () => {
    expect(toAccessControlOptions(load({}), 'rest-gateway')).toEqual({
      mode: 'on',
      service: 'rest-gateway',
      publicPaths: ['/health/live', '/health/ready', '/metrics'],
      keyStore: 'postgres',
      keyCache: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2_000 },
      keyUsageFlushMs: 60_000,
      restrictions: { services: {}, views: {} },
      rateLimit: { store: { type: 'redis', url: 'redis://127.0.0.1:6379', commandTimeoutMs: 200 }, defaultPerSecond: 100 },
    });
  });

  it('reads JWT settings, restrictions and a private /metrics', () => {
    const options = toAccessControlOptions(
      load({
        AUTH_JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
        AUTH_JWT_ISSUER: 'https://idp.example/',
        AUTH_JWT_AUDIENCE: 'feature-store, feature-store-eu',
        AUTH_JWT_ALGORITHMS: 'ES256',
        AUTH_JWT_SCOPES_CLAIM: 'scp',
        AUTH_RESTRICTED_SERVICES: 'credit_decision_v1=risk-engine|risk-shadow',
        AUTH_RESTRICTED_VIEWS: 'customer_profile = team-a ; customer_spending=team-b|risk-engine;',
        AUTH_PUBLIC_METRICS: 'false',
        RATE_LIMIT_DEFAULT_PER_SECOND: '250',
      }),
      'grpc-serving',
    );
    expect(options.jwt).toMatchObject({ jwksUrl: 'https://idp.example/.well-known/jwks.json', issuer: 'https://idp.example/', audience: ['feature-store', 'feature-store-eu'], algorithms: ['ES256'], scopesClaim: 'scp' });
    expect(options.jwt?.allowedScopes).not.toContain('admin');
    expect(options.restrictions).toEqual({ services: { credit_decision_v1: ['risk-engine', 'risk-shadow'] }, views: { customer_profile: ['team-a'], customer_spending: ['team-b', 'risk-engine'] } });
    expect(options.publicPaths).not.toContain('/metrics');
    expect(options.rateLimit.defaultPerSecond).toBe(250);
  });

  it('counts in memory with the in-memory online store', () => {
    expect(toAccessControlOptions(load({ ONLINE_STORE: 'memory' }), 'x').rateLimit.store).toEqual({ type: 'memory' });
  });

  it.each([
    [{ AUTH_MODE: 'maybe' }, 'AUTH_MODE'],
    [{ AUTH_JWT_JWKS_URL: 'https://idp/jwks' }, 'AUTH_JWT_ISSUER'],
    [{ AUTH_JWT_JWKS_URL: 'https://idp/jwks', AUTH_JWT_ISSUER: 'i' }, 'AUTH_JWT_AUDIENCE'],
    [{ AUTH_JWT_ISSUER: 'i', AUTH_JWT_AUDIENCE: 'a' }, 'AUTH_JWT_JWKS_URL'],
    [{ AUTH_JWT_JWKS_URL: 'ftp://idp/jwks' }, 'AUTH_JWT_JWKS_URL'],
    [{ AUTH_JWT_ALGORITHMS: 'HS256' }, 'AUTH_JWT_ALGORITHMS'],
    [{ AUTH_JWT_ALLOWED_SCOPES: 'features:read,root' }, 'AUTH_JWT_ALLOWED_SCOPES'],
    [{ AUTH_RESTRICTED_SERVICES: 'credit_decision_v1' }, 'AUTH_RESTRICTED_SERVICES'],
    [{ AUTH_RESTRICTED_VIEWS: 'customer_profile=a b' }, 'AUTH_RESTRICTED_VIEWS'],
    [{ RATE_LIMIT_DEFAULT_PER_SECOND: '0' }, 'RATE_LIMIT_DEFAULT_PER_SECOND'],
    [{ AUTH_PUBLIC_METRICS: 'perhaps' }, 'AUTH_PUBLIC_METRICS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => load(env as Record<string, string>)).toThrow(variable);
  });
});
