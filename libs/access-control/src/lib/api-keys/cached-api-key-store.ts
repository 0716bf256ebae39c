import { LRUCache } from 'lru-cache';
import type { ApiKeyRecord, ApiKeyStore, NewApiKeyRecord } from './api-key-store.port';

export interface ApiKeyCacheOptions {
  /** Keys (known and unknown ids) held at most; the least recently used go first. */
  readonly maxEntries: number;
  /**
   * How long a key is served from memory, in ms. Revocation events drop a key at once; this bounds how long
   * a revocation that no event announced (a lost event, an UPDATE by hand) takes to reach this instance.
   */
  readonly ttlMs: number;
  /**
   * How long "no such key" is remembered, in ms, so that a flood of made-up keys costs no database
   * round trip each. Keep it short: a key created on another instance is unknown here until it expires.
   */
  readonly negativeTtlMs: number;
  /** Milliseconds since the epoch; tests move it. */
  readonly clock?: () => number;
}

export interface ApiKeyCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

interface Entry {
  readonly record: ApiKeyRecord | null;
  readonly expiresAt: number;
}

/**
 * The key table with an in-process cache in front (a decorator of the same port), so that verifying a
 * known key costs no round trip: `peek` answers from memory synchronously, `find` fills the cache.
 *
 * Freshness: writes through this instance (revoke, rotate) drop the key they change; other instances
 * learn of them from revocation events (`invalidate`) or after `ttlMs` at worst. A `find` racing an
 * invalidation of its key does not cache what it read, so an invalidation is never undone by a slower
 * read that started before it. Concurrent `find`s of one id share one read.
 */
export class CachedApiKeyStore implements ApiKeyStore {
  private readonly cache: LRUCache<string, Entry>;
  private readonly clock: () => number;
  private readonly inFlight = new Map<string, { promise: Promise<ApiKeyRecord | null>; stale: boolean }>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly inner: ApiKeyStore,
    private readonly options: ApiKeyCacheOptions,
  ) {
    if (!(options.maxEntries >= 1) || !(options.ttlMs >= 0) || !(options.negativeTtlMs >= 0)) throw new RangeError('API key cache: maxEntries >= 1, ttlMs and negativeTtlMs >= 0');
    this.cache = new LRUCache({ max: options.maxEntries });
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The cached answer for `id` without any I/O: the record, null for a key known not to exist, or
   * undefined when the cache cannot say (call `find`).
   */
  peek(id: string): ApiKeyRecord | null | undefined {
    const entry = this.cache.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.cache.delete(id);
      return undefined;
    }
    this.hits++;
    return entry.record;
  }

  find(id: string): Promise<ApiKeyRecord | null> {
    const cached = this.peek(id);
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.inFlight.get(id);
    if (running) return running.promise;
    this.misses++;
    const flight = { stale: false, promise: undefined as unknown as Promise<ApiKeyRecord | null> };
    flight.promise = this.inner.find(id).then(
      (record) => {
        this.inFlight.delete(id);
        if (!flight.stale) this.cache.set(id, { record, expiresAt: this.clock() + (record ? this.options.ttlMs : this.options.negativeTtlMs) });
        return record;
      },
      (error: unknown) => {
        this.inFlight.delete(id);
        throw error;
      },
    );
    this.inFlight.set(id, flight);
    return flight.promise;
  }

  /** Drops a key from the cache (a revocation event); a read of it in flight is not cached. */
  invalidate(id: string): void {
    this.cache.delete(id);
    const running = this.inFlight.get(id);
    if (running) running.stale = true;
  }

  /** Drops every key (e.g. when revocation events may have been missed). */
  clear(): void {
    this.cache.clear();
    for (const running of this.inFlight.values()) running.stale = true;
  }

  stats(): ApiKeyCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.cache.size };
  }

  async insert(key: NewApiKeyRecord): Promise<boolean> {
    this.invalidate(key.id);
    return this.inner.insert(key);
  }

  list(options: Parameters<ApiKeyStore['list']>[0]): Promise<ApiKeyRecord[]> {
    return this.inner.list(options);
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord | null> {
    try {
      return await this.inner.revoke(id, at);
    } finally {
      this.invalidate(id);
    }
  }

  async rotate(id: string, replacement: NewApiKeyRecord, oldKeyUntil: Date): Promise<ApiKeyRecord | null> {
    try {
      return await this.inner.rotate(id, replacement, oldKeyUntil);
    } finally {
      this.invalidate(id);
      this.invalidate(replacement.id);
    }
  }

  touch(ids: readonly string[], at: Date): Promise<void> {
    return this.inner.touch(ids, at);
  }
}
