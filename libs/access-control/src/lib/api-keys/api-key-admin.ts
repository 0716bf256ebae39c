import { ApiKeyNotFoundError } from '../errors/api-key-not-found.error';
import { InvalidApiKeySpecError } from '../errors/invalid-api-key-spec.error';
import { PRINCIPAL_NAME } from '../principal';
import { parseScopes, SCOPES, type Scope } from '../scopes';
import { API_KEY_ID, generateApiKey } from './api-key';
import type { ApiKeyRecord, ApiKeyStore, NewApiKeyRecord } from './api-key-store.port';

/** Says to every instance that a key changed (revoked, rotated), so that each drops it from its cache. */
export interface KeyRevocationNotifier {
  keyRevoked(keyId: string, at: Date): Promise<void>;
}

export interface CreateApiKeyCommand {
  readonly owner: string;
  readonly description?: string;
  readonly scopes: readonly string[];
  readonly rateLimitPerSecond?: number | null;
  readonly expiresAt?: Date | null;
}

/** A key as created: `plaintext` is shown once and never again. */
export interface CreatedApiKey {
  readonly record: ApiKeyRecord;
  readonly plaintext: string;
}

export interface ApiKeyAdminOptions {
  /** Called when a revocation could not be announced; instances then drop the key within their cache TTL. */
  readonly onNotifyError?: (keyId: string, error: unknown) => void;
  readonly clock?: () => number;
}

/** Bounds of what a key may be given. */
export const API_KEY_LIMITS = { maxRateLimitPerSecond: 1_000_000, maxDescriptionLength: 200, maxGraceSeconds: 7 * 86_400, maxListLimit: 1_000 } as const;

/**
 * The key-management use cases behind `/v1/keys` and `fs keys`: create (the key is returned once),
 * list, revoke and rotate (a new key with the same owner, scopes, limit and expiry; the old one stops
 * working at once or after a grace period). Revocations and rotations are announced to every instance.
 */
export class ApiKeyAdmin {
  private readonly clock: () => number;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly notifier: KeyRevocationNotifier,
    private readonly options: ApiKeyAdminOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** @throws InvalidApiKeySpecError naming what is wrong with the command. */
  async create(command: CreateApiKeyCommand): Promise<CreatedApiKey> {
    const spec = this.validate(command);
    for (;;) {
      const key = generateApiKey();
      const record: NewApiKeyRecord = { ...spec, id: key.id, secretHash: key.secretHash, createdAt: new Date(this.clock()) };
      if (await this.store.insert(record)) return { record: { ...record, lastUsedAt: null, revokedAt: null, replacedBy: null }, plaintext: key.plaintext };
    }
  }

  list(options: { limit: number; owner?: string; includeInactive?: boolean }): Promise<ApiKeyRecord[]> {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > API_KEY_LIMITS.maxListLimit) {
      throw new InvalidApiKeySpecError(`limit must be an integer from 1 to ${API_KEY_LIMITS.maxListLimit}`);
    }
    return this.store.list({ limit: options.limit, ...(options.owner !== undefined ? { owner: options.owner } : {}), includeInactive: options.includeInactive ?? false, now: new Date(this.clock()) });
  }

  /** Revokes at once (idempotent: an earlier revocation stays). @throws ApiKeyNotFoundError */
  async revoke(id: string): Promise<ApiKeyRecord> {
    checkId(id);
    const at = new Date(this.clock());
    const record = await this.store.revoke(id, at);
    if (!record) throw new ApiKeyNotFoundError(id);
    await this.announce(id, at);
    return record;
  }

  /**
   * A new key replacing `id`, which keeps working for `graceSeconds` (0: stops at once) so that clients
   * can switch without an outage. @throws ApiKeyNotFoundError; InvalidApiKeySpecError when `id` no
   * longer works (revoked or expired: create a new key instead) or the grace is out of range.
   */
  async rotate(id: string, graceSeconds = 0): Promise<CreatedApiKey & { readonly previous: ApiKeyRecord }> {
    checkId(id);
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > API_KEY_LIMITS.maxGraceSeconds) {
      throw new InvalidApiKeySpecError(`grace must be a whole number of seconds from 0 to ${API_KEY_LIMITS.maxGraceSeconds}`);
    }
    const old = await this.store.find(id);
    if (!old) throw new ApiKeyNotFoundError(id);
    const now = this.clock();
    if ((old.revokedAt !== null && old.revokedAt.getTime() <= now) || (old.expiresAt !== null && old.expiresAt.getTime() <= now)) {
      throw new InvalidApiKeySpecError(`key ${id} is revoked or expired: create a new key instead of rotating it`);
    }
    const until = new Date(now + graceSeconds * 1000);
    for (;;) {
      const key = generateApiKey();
      const replacement: NewApiKeyRecord = {
        id: key.id,
        secretHash: key.secretHash,
        owner: old.owner,
        description: old.description,
        scopes: old.scopes,
        rateLimitPerSecond: old.rateLimitPerSecond,
        expiresAt: old.expiresAt,
        createdAt: new Date(now),
      };
      let previous: ApiKeyRecord | null;
      try {
        previous = await this.store.rotate(id, replacement, until);
      } catch (error) {
        if (error instanceof RangeError) continue; // the new id was taken: draw another key
        throw error;
      }
      if (!previous) throw new ApiKeyNotFoundError(id);
      await this.announce(id, until);
      return { record: { ...replacement, lastUsedAt: null, revokedAt: null, replacedBy: null }, plaintext: key.plaintext, previous };
    }
  }

  private async announce(id: string, at: Date): Promise<void> {
    try {
      await this.notifier.keyRevoked(id, at);
    } catch (error) {
      this.options.onNotifyError?.(id, error);
    }
  }

  private validate(command: CreateApiKeyCommand): Omit<NewApiKeyRecord, 'id' | 'secretHash' | 'createdAt'> {
    if (typeof command.owner !== 'string' || !PRINCIPAL_NAME.test(command.owner)) {
      throw new InvalidApiKeySpecError('owner must be 1-100 characters: letters, digits and . _ @ : - (starting with a letter or digit)');
    }
    const description = command.description ?? '';
    if (typeof description !== 'string' || description.length > API_KEY_LIMITS.maxDescriptionLength) {
      throw new InvalidApiKeySpecError(`description must be text of at most ${API_KEY_LIMITS.maxDescriptionLength} characters`);
    }
    if (!Array.isArray(command.scopes) || command.scopes.some((s) => typeof s !== 'string')) throw new InvalidApiKeySpecError('scopes must be a list of scope names');
    const { scopes, unknown } = parseScopes(command.scopes);
    if (unknown.length) throw new InvalidApiKeySpecError(`unknown scope ${JSON.stringify(unknown[0].slice(0, 40))}: scopes are ${SCOPE_LIST}`);
    if (scopes.length === 0) throw new InvalidApiKeySpecError(`give at least one scope (${SCOPE_LIST})`);
    const rate = command.rateLimitPerSecond ?? null;
    if (rate !== null && (!Number.isInteger(rate) || rate < 1 || rate > API_KEY_LIMITS.maxRateLimitPerSecond)) {
      throw new InvalidApiKeySpecError(`rate limit must be a whole number of requests per second from 1 to ${API_KEY_LIMITS.maxRateLimitPerSecond}`);
    }
    const expiresAt = command.expiresAt ?? null;
    if (expiresAt !== null && (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= this.clock())) {
      throw new InvalidApiKeySpecError('expiry must be a valid instant in the future');
    }
    return { owner: command.owner, description, scopes: scopes as Scope[], rateLimitPerSecond: rate, expiresAt };
  }
}

const SCOPE_LIST = SCOPES.join(', ');

function checkId(id: string): void {
  if (typeof id !== 'string' || !API_KEY_ID.test(id)) throw new InvalidApiKeySpecError('a key id is 12 lowercase hex characters (the part after fsk_)');
}
