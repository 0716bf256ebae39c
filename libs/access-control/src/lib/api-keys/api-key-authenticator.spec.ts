import { UnauthenticatedError } from '../errors/unauthenticated.error';
import { generateApiKey } from './api-key';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiKeyRecord, NewApiKeyRecord } from './api-key-store.port';
import { CachedApiKeyStore } from './cached-api-key-store';
import { InMemoryApiKeyStore } from './in-memory-api-key-store';

/** The in-memory store, counting finds and able to hold them. */
class CountingStore extends InMemoryApiKeyStore {
  finds = 0;
  gate?: Promise<void>;
  override async find(id: string): Promise<ApiKeyRecord | null> {
    this.finds++;
    const answer = await super.find(id);
    await this.gate;
    return answer;
  }
}

describe('ApiKeyAuthenticator over CachedApiKeyStore', () => {
  let now: number;
  let store: CountingStore;
  let cache: CachedApiKeyStore;
  let used: string[];
  let auth: ApiKeyAuthenticator;

  const addKey = async (overrides: Partial<NewApiKeyRecord> = {}) => {
    const key = generateApiKey();
    await store.insert({ id: key.id, secretHash: key.secretHash, owner: 'risk-engine', description: '', scopes: ['features:read', 'catalog:read'], rateLimitPerSecond: 500, expiresAt: null, createdAt: new Date(now), ...overrides });
    return key;
  };
  const failure = async (work: () => unknown) => {
    try {
      await work();
    } catch (error) {
      expect(error).toBeInstanceOf(UnauthenticatedError);
      return { reason: (error as UnauthenticatedError).reason, message: (error as Error).message };
    }
    throw new Error('authenticated');
  };

  beforeEach(() => {
    now = Date.UTC(2026, 5, 1);
    store = new CountingStore();
    cache = new CachedApiKeyStore(store, { maxEntries: 100, ttlMs: 30_000, negativeTtlMs: 2_000, clock: () => now });
    used = [];
    auth = new ApiKeyAuthenticator(cache, { clock: () => now, onUse: (id) => used.push(id) });
  });

  it('gives the key its principal: id, owner, scopes, rate limit', async () => {
    const key = await addKey();
    const principal = await auth.authenticate(key.plaintext);
    expect(principal).toEqual({ id: `key:${key.id}`, name: 'risk-engine', kind: 'api-key', scopes: new Set(['features:read', 'catalog:read']), rateLimitPerSecond: 500 });
    expect(used).toEqual([key.id]);
  });

  it('answers a cached key synchronously, without reading the store again', async () => {
    const key = await addKey();
    await auth.authenticate(key.plaintext);
    const again = auth.authenticate(key.plaintext);
    expect(again).not.toBeInstanceOf(Promise);
    expect(store.finds).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it('reads the store again after the TTL', async () => {
    const key = await addKey();
    await auth.authenticate(key.plaintext);
    now += 30_001;
    await auth.authenticate(key.plaintext);
    expect(store.finds).toBe(2);
  });

  it('says the same for an unknown key and a wrong secret, and remembers unknown ids briefly', async () => {
    const key = await addKey();
    const wrongSecret = key.plaintext.slice(0, -3) + (key.plaintext.endsWith('AAA') ? 'BBB' : 'AAA');
    const unknown = generateApiKey().plaintext;
    const a = await failure(() => auth.authenticate(wrongSecret));
    const b = await failure(() => auth.authenticate(unknown));
    expect(a).toEqual({ reason: 'INVALID_API_KEY', message: 'Invalid API key' });
    expect(b).toEqual(a);
    await failure(() => auth.authenticate(unknown));
    expect(store.finds).toBe(2);
    now += 2_001;
    await failure(() => auth.authenticate(unknown));
    expect(store.finds).toBe(3);
  });

  it('refuses a malformed key without reading the store', async () => {
    expect(await failure(() => auth.authenticate('not-a-key'))).toMatchObject({ reason: 'INVALID_API_KEY', message: expect.stringContaining('key format') });
    expect(store.finds).toBe(0);
  });

  it('refuses revoked and expired keys, and a key whose revocation time has come', async () => {
    const revoked = await addKey();
    await store.revoke(revoked.id, new Date(now - 1));
    expect(await failure(() => auth.authenticate(revoked.plaintext))).toMatchObject({ reason: 'API_KEY_REVOKED' });
    const expired = await addKey({ expiresAt: new Date(now - 1) });
    expect(await failure(() => auth.authenticate(expired.plaintext))).toMatchObject({ reason: 'API_KEY_EXPIRED' });
    const graced = await addKey();
    await store.revoke(graced.id, new Date(now + 5_000));
    await expect(Promise.resolve(auth.authenticate(graced.plaintext))).resolves.toMatchObject({ name: 'risk-engine' });
    now += 5_000;
    expect(await failure(() => auth.authenticate(graced.plaintext))).toMatchObject({ reason: 'API_KEY_REVOKED' });
    expect(used).toEqual([graced.id]);
  });

  it('drops a key on invalidate, so a revocation elsewhere takes effect at once', async () => {
    const key = await addKey();
    await auth.authenticate(key.plaintext);
    await store.revoke(key.id, new Date(now));
    expect(auth.authenticate(key.plaintext)).toMatchObject({ name: 'risk-engine' });
    cache.invalidate(key.id);
    expect(await failure(() => auth.authenticate(key.plaintext))).toMatchObject({ reason: 'API_KEY_REVOKED' });
  });

  it('does not cache a read that an invalidation overtook, and shares concurrent reads', async () => {
    const key = await addKey();
    let open!: () => void;
    store.gate = new Promise((r) => (open = r));
    const reads = [auth.authenticate(key.plaintext), auth.authenticate(key.plaintext)];
    cache.invalidate(key.id);
    open();
    await Promise.all(reads);
    expect(store.finds).toBe(1);
    store.gate = undefined;
    expect(auth.authenticate(key.plaintext)).toBeInstanceOf(Promise);
    expect(store.finds).toBe(2);
  });

  it('passes a store outage through (an UNAVAILABLE error), caching nothing', async () => {
    const key = await addKey();
    class Broken extends InMemoryApiKeyStore {
      override find(): Promise<ApiKeyRecord | null> {
        return Promise.reject(new Error('database down'));
      }
    }
    const brokenCache = new CachedApiKeyStore(new Broken(), { maxEntries: 10, ttlMs: 1_000, negativeTtlMs: 1_000 });
    const brokenAuth = new ApiKeyAuthenticator(brokenCache);
    await expect(Promise.resolve().then(() => brokenAuth.authenticate(key.plaintext))).rejects.toThrow('database down');
    expect(brokenCache.stats().size).toBe(0);
  });
});
