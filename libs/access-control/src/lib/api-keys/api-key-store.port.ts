import type { Scope } from '../scopes';

/** Injection token of the ApiKeyStore. */
export const API_KEY_STORE = Symbol('API_KEY_STORE');

/** One API key as the key table holds it: never the key itself, only its hash. */
export interface ApiKeyRecord {
  /** 12 hex characters, public (the `<id>` of `fsk_<id>_<secret>`). */
  readonly id: string;
  /** SHA-256 of the whole key (32 bytes). */
  readonly secretHash: Uint8Array;
  /** Who the key is for: its principal's name, which feature-service restrictions name. */
  readonly owner: string;
  /** Free text for people: what the key is used by. */
  readonly description: string;
  /** Non-empty, in SCOPES order, without duplicates. */
  readonly scopes: readonly Scope[];
  /** Requests per second across all instances; null: the services' configured default. */
  readonly rateLimitPerSecond: number | null;
  readonly createdAt: Date;
  /** The last time the key was used, to within a minute (recorded in batches); null: never used. */
  readonly lastUsedAt: Date | null;
  /** The key stops working at this instant; null: never expires. */
  readonly expiresAt: Date | null;
  /** The key stops working at this instant (a rotation may set it in the future); null: not revoked. */
  readonly revokedAt: Date | null;
  /** The id of the key that replaced this one in a rotation. */
  readonly replacedBy: string | null;
}

export type NewApiKeyRecord = Omit<ApiKeyRecord, 'lastUsedAt' | 'revokedAt' | 'replacedBy'>;

/**
 * The key table. Verification reads `find`; the admin use cases write.
 *
 * Errors: every method rejects with an UNAVAILABLE FeatureStoreError (e.g. DatabaseUnavailableError)
 * when the backend cannot answer; nothing else is expected.
 */
export interface ApiKeyStore {
  /** The key with this id, revoked and expired ones included (the caller judges them), or null. */
  find(id: string): Promise<ApiKeyRecord | null>;
  /**
   * Stores a new key. Resolves false, storing nothing, when the id is taken (48 random bits make that
   * very unlikely: the caller generates another key).
   */
  insert(key: NewApiKeyRecord): Promise<boolean>;
  /** Keys newest first (ties by id), at most `limit`; revoked and expired ones only when asked. */
  list(options: { readonly limit: number; readonly owner?: string; readonly includeInactive: boolean; readonly now: Date }): Promise<ApiKeyRecord[]>;
  /**
   * Makes the key stop working at `at` at the latest (an earlier revocation stays). Resolves with the
   * record after the change, or null when no key has this id.
   */
  revoke(id: string, at: Date): Promise<ApiKeyRecord | null>;
  /**
   * In one transaction: stores `replacement`, marks key `id` replaced by it, and makes `id` stop working at
   * `oldKeyUntil` at the latest. Resolves with the old record after the change; null (storing nothing)
   * when `id` does not exist; rejects with RangeError when the replacement's id is taken.
   */
  rotate(id: string, replacement: NewApiKeyRecord, oldKeyUntil: Date): Promise<ApiKeyRecord | null>;
  /** Records that these keys were used at `at` (a later time than what is stored wins); unknown ids are ignored. */
  touch(ids: readonly string[], at: Date): Promise<void>;
}
