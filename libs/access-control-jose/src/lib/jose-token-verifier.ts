import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { IdentityProviderUnavailableError, parseScopes, UnauthenticatedError, type Principal, type Scope, type TokenVerifier } from '@bnpl/access-control';

/** The algorithms a token may be signed with: asymmetric only, so that a public key can never be used as an HMAC secret. */
export const TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number];

export interface JoseTokenVerifierOptions {
  /** The identity provider's JWKS URL (keys fetched, cached and refetched on rotation). Give this or `publicKeyPem`. */
  readonly jwksUrl?: string;
  /** One PEM public key (SPKI) instead of a JWKS. */
  readonly publicKeyPem?: string;
  /** The `iss` every token must carry. */
  readonly issuer: string;
  /** The `aud` every token must carry (one of them). */
  readonly audience: string | readonly string[];
  /** Default RS256 and ES256. */
  readonly algorithms?: readonly TokenAlgorithm[];
  /** Leeway for `exp` and `nbf` against clock skew, in seconds (default 30). */
  readonly clockToleranceSeconds?: number;
  /** The claim holding the scopes: a space-separated string (`scope`) or a list (`scp`). Default `scope`. */
  readonly scopesClaim?: string;
  /**
   * The most a token may grant (default every scope but `admin`): scopes outside it are ignored, so the
   * identity provider cannot give a user key management by mistake.
   */
  readonly allowedScopes?: readonly Scope[];
  /** Requests per second for every token principal; undefined: the services' default. */
  readonly rateLimitPerSecond?: number;
  /** JWKS fetching: cache age before a refetch (default 10 min), least time between refetches on an unknown key id (default 30 s), fetch timeout (default 2 s). */
  readonly jwks?: { readonly cacheMaxAgeMs?: number; readonly cooldownMs?: number; readonly timeoutMs?: number };
  /** Verified tokens kept in memory: at most `maxEntries`, each until its `exp` or `ttlMs`, whichever is first (defaults 10,000 and 60 s). */
  readonly cache?: { readonly maxEntries?: number; readonly ttlMs?: number };
  readonly clock?: () => number;
}

/** jose, loaded when a verifier is built (as Nest's `loadPackage`): a service without JWT configured never loads it. */
function jose(): typeof import('jose') {
  return require('jose') as typeof import('jose');
}

const MAX_SUBJECT_LENGTH = 200;

/**
 * Verifies the company identity provider's JWTs with `jose`: signature against the JWKS (or a static
 * public key), algorithm (RS256/ES256 only: `alg: none` and HS256 tokens are refused whatever they
 * carry), issuer, audience, expiry and not-before with a clock tolerance; scopes from a configured claim.
 *
 * Tokens verified once are kept (bounded, until they expire or `cache.ttlMs`), so a client sending the
 * same token on every call costs a map lookup, not a signature check; a key removed from the JWKS stops
 * being accepted for new tokens at once and for cached ones within `cache.ttlMs`.
 */
export class JoseTokenVerifier implements TokenVerifier {
  private readonly key: JWTVerifyGetKey | KeyObject;
  private readonly verifyOptions: JWTVerifyOptions;
  private readonly scopesClaim: string;
  private readonly allowedScopes: ReadonlySet<Scope>;
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: JoseTokenVerifierOptions) {
    if ((options.jwksUrl === undefined) === (options.publicKeyPem === undefined)) throw new RangeError('JoseTokenVerifier: give exactly one of jwksUrl and publicKeyPem');
    const { createRemoteJWKSet } = jose();
    this.key = options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl), {
          cacheMaxAge: options.jwks?.cacheMaxAgeMs ?? 600_000,
          cooldownDuration: options.jwks?.cooldownMs ?? 30_000,
          timeoutDuration: options.jwks?.timeoutMs ?? 2_000,
        })
      : createPublicKey(options.publicKeyPem as string);
    this.verifyOptions = {
      issuer: options.issuer,
      audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
      algorithms: [...(options.algorithms ?? TOKEN_ALGORITHMS)],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
    };
    this.scopesClaim = options.scopesClaim ?? 'scope';
    this.allowedScopes = new Set(options.allowedScopes ?? (['features:read', 'catalog:read', 'jobs:write', 'jobs:read', 'audit:read'] as const));
    this.maxEntries = options.cache?.maxEntries ?? 10_000;
    this.ttlMs = options.cache?.ttlMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
  }

  verify(token: string): Principal | Promise<Principal> {
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.until > this.clock()) return cached.principal;
      this.cache.delete(token);
    }
    return this.verifyNow(token);
  }

  private async verifyNow(token: string): Promise<Principal> {
    const { jwtVerify } = jose();
    let payload: JWTPayload;
    try {
      const options = { ...this.verifyOptions, ...(this.options.clock ? { currentDate: new Date(this.clock()) } : {}) };
      payload = (typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw toAuthError(error);
    }
    const principal = this.principalOf(payload);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    const until = Math.min((payload.exp as number) * 1000, this.clock() + this.ttlMs);
    this.cache.set(token, { principal, until });
    return principal;
  }

  private principalOf(payload: JWTPayload): Principal {
    const subject = payload.sub as string;
    if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) throw new UnauthenticatedError('TOKEN_INVALID_CLAIMS', `The token's "sub" claim must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
    const claim = payload[this.scopesClaim];
    if (claim !== undefined && typeof claim !== 'string' && !(Array.isArray(claim) && claim.every((s) => typeof s === 'string'))) {
      throw new UnauthenticatedError('TOKEN_INVALID_CLAIMS', `The token's "${this.scopesClaim.slice(0, 40)}" claim must be a space-separated string or a list of strings`);
    }
    const scopes = claim === undefined ? [] : parseScopes(claim as string | string[]).scopes.filter((s) => this.allowedScopes.has(s));
    return {
      id: `jwt:${subject}`,
      name: subject,
      kind: 'jwt',
      scopes: new Set(scopes),
      ...(this.options.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: this.options.rateLimitPerSecond } : {}),
    };
  }
}

/** jose's errors (by code) as our 401s, each naming the problem; the JWKS endpoint unreachable as 503. */
function toAuthError(error: unknown): Error {
  const e = error as { code?: string; claim?: string; reason?: string; message?: string };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return new UnauthenticatedError('TOKEN_EXPIRED', 'The token has expired ("exp" is in the past)');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'nbf') return new UnauthenticatedError('TOKEN_NOT_YET_VALID', 'The token is not valid yet ("nbf" is in the future)');
      if (e.claim === 'iss') return new UnauthenticatedError('TOKEN_WRONG_ISSUER', 'The token was issued by another issuer ("iss")');
      if (e.claim === 'aud') return new UnauthenticatedError('TOKEN_WRONG_AUDIENCE', 'The token is meant for another audience ("aud")');
      return new UnauthenticatedError('TOKEN_INVALID_CLAIMS', `The token's "${String(e.claim).slice(0, 20)}" claim is ${e.reason === 'missing' ? 'missing' : 'invalid'}`);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new UnauthenticatedError('TOKEN_ALGORITHM_NOT_ALLOWED', `The token's algorithm is not allowed: tokens must be signed with ${TOKEN_ALGORITHMS.join(' or ')}`);
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new UnauthenticatedError('TOKEN_ALGORITHM_NOT_ALLOWED', `The token's algorithm or key type is not supported: tokens must be signed with ${TOKEN_ALGORITHMS.join(' or ')}`);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new UnauthenticatedError('TOKEN_UNKNOWN_KEY', "The token's signing key (\"kid\") is not one of the identity provider's keys");
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new UnauthenticatedError('TOKEN_INVALID_SIGNATURE', "The token's signature does not verify");
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWE_INVALID':
      return new UnauthenticatedError('MALFORMED_TOKEN', 'Malformed token: expected a signed JWT (header.payload.signature)');
    case 'ERR_JWKS_TIMEOUT':
      return new IdentityProviderUnavailableError('timed out', { cause: error });
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
      return new IdentityProviderUnavailableError('the JWKS it serves is invalid', { cause: error });
    case 'ERR_JOSE_GENERIC':
      // jose's generic error is what a JWKS endpoint answering something else than 200 and a key set gives.
      if (/JSON Web Key Set/i.test(e.message ?? '')) return new IdentityProviderUnavailableError(e.message ?? 'bad answer', { cause: error });
      return new UnauthenticatedError('MALFORMED_TOKEN', 'Malformed token: expected a signed JWT (header.payload.signature)');
    default:
      // Not a jose error: fetching the JWKS failed (connection refused, DNS, reset).
      return new IdentityProviderUnavailableError(e.code ?? e.message ?? String(error), { cause: error });
  }
}
