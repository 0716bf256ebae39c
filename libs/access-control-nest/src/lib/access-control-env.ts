import { z } from 'zod';
import { PRINCIPAL_NAME, SCOPES, parseScopes, type FeatureRestrictions, type Scope } from '@bnpl/access-control';
import { TOKEN_ALGORITHMS, type TokenAlgorithm } from '@bnpl/access-control-jose';
import { env, loadCaFile } from '@bnpl/platform';
import type { AccessControlOptions } from './access-control-options';

const flag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', 'on', 'off', '1', '0'], { error: 'must be true or false' })
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === 'on' || v === '1');

const nonNegativeInt = (defaultValue: number) => z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be >= 0').default(defaultValue);

/** `name=principal|principal;name=...` */
const RESTRICTIONS = /^\s*[a-z][a-z0-9_]*\s*=\s*[^;=]+(;\s*[a-z][a-z0-9_]*\s*=\s*[^;=]+)*;?\s*$/;
const restrictions = z
  .string()
  .regex(RESTRICTIONS, 'must be name=principal|principal;name=principal (a feature service or view, then the principal names allowed)')
  .refine((v) => parsePairs(v).every(([, names]) => names.every((n) => PRINCIPAL_NAME.test(n))), { message: 'principal names are 1-100 letters, digits and . _ @ : -' })
  .optional();

/**
 * The environment variables of access control, merged into the schema of each service with an API
 * (rest-gateway, grpc-serving); see the README's "Access control" for what each does.
 */
export const accessControlEnvSchema = z.object({
  /** `on` (default) or `off`: off serves everything without authentication and logs a warning; for tests and benchmarks. */
  AUTH_MODE: env.oneOf(['on', 'off'] as const, 'on'),
  /** Whether /metrics answers without a credential (default true: Prometheus scrapes it); false requires scope admin. */
  AUTH_PUBLIC_METRICS: flag(true),
  AUTH_KEY_CACHE_TTL_MS: nonNegativeInt(30_000),
  AUTH_KEY_CACHE_MAX_ENTRIES: env.positiveInt(10_000),
  AUTH_KEY_NEGATIVE_CACHE_TTL_MS: nonNegativeInt(2_000),
  /** `postgres` (default: the key table in the source database) or `memory` (one process only). */
  AUTH_KEY_STORE: env.oneOf(['postgres', 'memory'] as const, 'postgres'),
  AUTH_JWT_JWKS_URL: env.url(['https', 'http']).optional(),
  /** A PEM public key (SPKI), `\n` written as is or escaped; instead of a JWKS URL. */
  AUTH_JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).max(500).optional(),
  /** One audience, or several separated by commas. */
  AUTH_JWT_AUDIENCE: z.string().min(1).max(500).optional(),
  AUTH_JWT_ALGORITHMS: z
    .string()
    .refine((v) => v.split(',').every((a) => (TOKEN_ALGORITHMS as readonly string[]).includes(a.trim())), { message: `must be a comma-separated list of ${TOKEN_ALGORITHMS.join(', ')}` })
    .default(TOKEN_ALGORITHMS.join(',')),
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS: nonNegativeInt(30),
  AUTH_JWT_SCOPES_CLAIM: z.string().regex(/^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/, 'must be a claim name').default('scope'),
  /** The most a token may grant (default every scope but admin). */
  AUTH_JWT_ALLOWED_SCOPES: z
    .string()
    .refine((v) => parseScopes(v).unknown.length === 0, { message: `must list scopes among ${SCOPES.join(', ')}` })
    .default(SCOPES.filter((s) => s !== 'admin').join(',')),
  AUTH_JWT_RATE_LIMIT_PER_SECOND: z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be > 0').optional(),
  AUTH_JWKS_CACHE_MAX_AGE_MS: env.positiveInt(600_000),
  AUTH_JWKS_COOLDOWN_MS: nonNegativeInt(30_000),
  AUTH_JWKS_TIMEOUT_MS: env.positiveInt(2_000),
  /** Feature services readable only by the named principals: `credit_decision_v1=risk-engine|risk-shadow;...`. */
  AUTH_RESTRICTED_SERVICES: restrictions,
  /** Feature views readable only by the named principals (also through services and request-time features that read them). */
  AUTH_RESTRICTED_VIEWS: restrictions,
  /** `redis` (shared by every instance) or `memory` (this process alone); default redis, memory when ONLINE_STORE=memory. */
  RATE_LIMIT_STORE: z.enum(['redis', 'memory'], { error: 'must be one of: redis, memory' }).optional(),
  /** The Redis of the shared budget; default REDIS_URL. */
  RATE_LIMIT_REDIS_URL: env.url(['redis', 'rediss']).optional(),
  RATE_LIMIT_DEFAULT_PER_SECOND: env.positiveInt(100),
  /** How long a call of the shared budget may take before the limiter fails open for a second (ms). */
  RATE_LIMIT_REDIS_TIMEOUT_MS: env.positiveInt(200),
});

export type AccessControlEnv = z.infer<typeof accessControlEnvSchema>;

/** What the access-control variables need from the rest of a service's config. */
type WithOnlineStore = AccessControlEnv & { readonly REDIS_URL?: string; readonly ONLINE_STORE?: string; readonly REDIS_CA_FILE?: string };

/** Cross-variable rules; pass to loadConfig so that a bad combination stops the service naming the variable. */
export function checkAccessControlEnv(config: WithOnlineStore): Array<{ variable: string; message: string }> {
  const problems: Array<{ variable: string; message: string }> = [];
  const jwt = config.AUTH_JWT_JWKS_URL !== undefined || config.AUTH_JWT_PUBLIC_KEY !== undefined;
  if (config.AUTH_JWT_JWKS_URL !== undefined && config.AUTH_JWT_PUBLIC_KEY !== undefined) problems.push({ variable: 'AUTH_JWT_PUBLIC_KEY', message: 'give AUTH_JWT_JWKS_URL or AUTH_JWT_PUBLIC_KEY, not both' });
  if (jwt && !config.AUTH_JWT_ISSUER) problems.push({ variable: 'AUTH_JWT_ISSUER', message: 'is required when tokens are accepted (AUTH_JWT_JWKS_URL or AUTH_JWT_PUBLIC_KEY)' });
  if (jwt && !config.AUTH_JWT_AUDIENCE) problems.push({ variable: 'AUTH_JWT_AUDIENCE', message: 'is required when tokens are accepted (AUTH_JWT_JWKS_URL or AUTH_JWT_PUBLIC_KEY)' });
  if (!jwt && (config.AUTH_JWT_ISSUER || config.AUTH_JWT_AUDIENCE)) problems.push({ variable: 'AUTH_JWT_JWKS_URL', message: 'is required with AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE (or AUTH_JWT_PUBLIC_KEY)' });
  if (rateLimitStore(config) === 'redis' && !(config.RATE_LIMIT_REDIS_URL ?? config.REDIS_URL)) problems.push({ variable: 'RATE_LIMIT_REDIS_URL', message: 'is required with RATE_LIMIT_STORE=redis when REDIS_URL is not set' });
  return problems;
}

/** The options of AccessControlModule for `service` (the app's name) from its validated config. */
export function toAccessControlOptions(config: WithOnlineStore, service: string): AccessControlOptions {
  const audience = config.AUTH_JWT_AUDIENCE?.split(',').map((a) => a.trim()).filter(Boolean) ?? [];
  const jwtSource = config.AUTH_JWT_JWKS_URL ? { jwksUrl: config.AUTH_JWT_JWKS_URL } : config.AUTH_JWT_PUBLIC_KEY ? { publicKeyPem: config.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n') } : undefined;
  const store = rateLimitStore(config);
  const rateLimitUrl = config.RATE_LIMIT_REDIS_URL ?? config.REDIS_URL ?? '';
  return {
    mode: config.AUTH_MODE,
    service,
    publicPaths: ['/health/live', '/health/ready', ...(config.AUTH_PUBLIC_METRICS ? ['/metrics'] : [])],
    keyStore: config.AUTH_KEY_STORE,
    keyCache: { maxEntries: config.AUTH_KEY_CACHE_MAX_ENTRIES, ttlMs: config.AUTH_KEY_CACHE_TTL_MS, negativeTtlMs: config.AUTH_KEY_NEGATIVE_CACHE_TTL_MS },
    keyUsageFlushMs: 60_000,
    ...(jwtSource
      ? {
          jwt: {
            ...jwtSource,
            issuer: config.AUTH_JWT_ISSUER ?? '',
            audience: audience.length === 1 ? audience[0] : audience,
            algorithms: config.AUTH_JWT_ALGORITHMS.split(',').map((a) => a.trim() as TokenAlgorithm),
            clockToleranceSeconds: config.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
            scopesClaim: config.AUTH_JWT_SCOPES_CLAIM,
            allowedScopes: parseScopes(config.AUTH_JWT_ALLOWED_SCOPES).scopes as Scope[],
            ...(config.AUTH_JWT_RATE_LIMIT_PER_SECOND ? { rateLimitPerSecond: config.AUTH_JWT_RATE_LIMIT_PER_SECOND } : {}),
            jwks: { cacheMaxAgeMs: config.AUTH_JWKS_CACHE_MAX_AGE_MS, cooldownMs: config.AUTH_JWKS_COOLDOWN_MS, timeoutMs: config.AUTH_JWKS_TIMEOUT_MS },
          },
        }
      : {}),
    restrictions: { services: toRecord(config.AUTH_RESTRICTED_SERVICES), views: toRecord(config.AUTH_RESTRICTED_VIEWS) } satisfies FeatureRestrictions,
    rateLimit: {
      store: store === 'redis' ? { type: 'redis', url: rateLimitUrl, commandTimeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS, ...rateLimitTls(config, rateLimitUrl, service) } : { type: 'memory' },
      defaultPerSecond: config.RATE_LIMIT_DEFAULT_PER_SECOND,
    },
  };
}

/** The private CA of a `rediss://` budget Redis: REDIS_CA_FILE, the online store's (checked by checkOnlineStoreEnv). */
function rateLimitTls(config: WithOnlineStore, url: string, service: string): { tlsCa?: Buffer } {
  return config.REDIS_CA_FILE !== undefined && url.startsWith('rediss://') ? { tlsCa: loadCaFile(service, 'REDIS_CA_FILE', config.REDIS_CA_FILE) } : {};
}

function rateLimitStore(config: WithOnlineStore): 'redis' | 'memory' {
  return config.RATE_LIMIT_STORE ?? (config.ONLINE_STORE === 'memory' ? 'memory' : 'redis');
}

function parsePairs(text: string): Array<[string, string[]]> {
  return text
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name = '', names = ''] = pair.split('=');
      return [name.trim(), names.split('|').map((n) => n.trim()).filter(Boolean)];
    });
}

function toRecord(text: string | undefined): Record<string, string[]> {
  return Object.fromEntries(text ? parsePairs(text) : []);
}
