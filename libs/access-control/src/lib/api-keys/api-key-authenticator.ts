import { UnauthenticatedError } from '../errors/unauthenticated.error';
import type { Principal } from '../principal';
import { apiKeyIdOf, matchesApiKeyHash } from './api-key';
import type { ApiKeyRecord } from './api-key-store.port';
import type { CachedApiKeyStore } from './cached-api-key-store';

/** One message for an unknown key and a wrong secret: the answer must not say which keys exist. */
const INVALID = 'Invalid API key';

export interface ApiKeyAuthenticatorOptions {
  /** Called with the id of each key that authenticates (to record last use). */
  readonly onUse?: (keyId: string) => void;
  /** Keys remembered as verified (default 10,000). */
  readonly maxVerified?: number;
  readonly clock?: () => number;
}

/**
 * Verifies API keys: the id (public part) finds the record, from the in-process cache when it is there,
 * and the whole key must hash to the stored hash (compared in constant time); a revoked or expired key is
 * refused. A cached key verifies synchronously in about a microsecond (one SHA-256 of 60 bytes); an
 * uncached one costs one read of the key table.
 */
export class ApiKeyAuthenticator {
  /** Principals built once per record object (records are replaced, never mutated). */
  private readonly principals = new WeakMap<ApiKeyRecord, Principal>();
  /**
   * Keys that verified, by the key itself, with the record they matched: a client sending the same key
   * again costs a map lookup instead of a SHA-256. An entry counts only while its record is still the
   * cached one (an invalidation or the cache TTL sends the key through full verification again). Only keys
   * that matched their hash get in, so its size is bounded by the valid keys in use (and `maxVerified`).
   */
  private readonly verified = new Map<string, ApiKeyRecord>();
  private readonly maxVerified: number;
  private readonly clock: () => number;

  constructor(
    private readonly keys: CachedApiKeyStore,
    private readonly options: ApiKeyAuthenticatorOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.maxVerified = options.maxVerified ?? 10_000;
  }

  /**
   * The key's principal; synchronous when the key is cached.
   *
   * @throws UnauthenticatedError INVALID_API_KEY (malformed, unknown or wrong; one message for the last
   *   two), API_KEY_REVOKED, API_KEY_EXPIRED; the store's UNAVAILABLE error when it cannot answer.
   */
  authenticate(key: string): Principal | Promise<Principal> {
    const known = this.verified.get(key);
    if (known !== undefined) {
      if (this.keys.peek(known.id) === known) return this.admit(known);
      this.verified.delete(key);
    }
    const id = apiKeyIdOf(key);
    if (id === undefined) throw new UnauthenticatedError('INVALID_API_KEY', `${INVALID}: not in this store's key format (fsk_<id>_<secret>)`);
    const cached = this.keys.peek(id);
    if (cached !== undefined) return this.verify(key, cached);
    return this.keys.find(id).then((record) => this.verify(key, record));
  }

  private verify(key: string, record: ApiKeyRecord | null): Principal {
    // The hash is compared even when the key is unknown, so both cases cost the same.
    const matches = matchesApiKeyHash(key, record?.secretHash ?? UNKNOWN_HASH);
    if (!record || !matches) throw new UnauthenticatedError('INVALID_API_KEY', INVALID);
    if (this.verified.size >= this.maxVerified) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(key, record);
    return this.admit(record);
  }

  /** A record whose key matched: refused when revoked or expired, else its principal. */
  private admit(record: ApiKeyRecord): Principal {
    const now = this.clock();
    if (record.revokedAt !== null && record.revokedAt.getTime() <= now) throw new UnauthenticatedError('API_KEY_REVOKED', `API key ${record.id} has been revoked`);
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now) throw new UnauthenticatedError('API_KEY_EXPIRED', `API key ${record.id} expired at ${record.expiresAt.toISOString()}`);
    this.options.onUse?.(record.id);
    let principal = this.principals.get(record);
    if (!principal) {
      principal = {
        id: `key:${record.id}`,
        name: record.owner,
        kind: 'api-key',
        scopes: new Set(record.scopes),
        ...(record.rateLimitPerSecond !== null ? { rateLimitPerSecond: record.rateLimitPerSecond } : {}),
      };
      this.principals.set(record, principal);
    }
    return principal;
  }
}

const UNKNOWN_HASH = new Uint8Array(32);
