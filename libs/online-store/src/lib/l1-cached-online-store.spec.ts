import { InMemoryOnlineStore } from './in-memory-online-store';
import { OnlineStoreUnavailableError } from './errors/online-store-unavailable.error';
import { L1CachedOnlineStore } from './l1-cached-online-store';
import type { EntityKey, OnlineStore, StoredView } from './online-store.port';
import { testCatalog } from './online-store.test-catalog';

const c = (id: number): EntityKey => ({ entity: 'customer', id: String(id) });
const row = (id: number, kyc: number, t = kyc) => ({ key: c(id), view: 'customer_profile', values: { kyc_level: kyc }, eventTime: new Date(t) });

/** An in-memory store that counts the reads reaching it. */
function backend(): { store: OnlineStore; reads: Array<{ keys: readonly EntityKey[]; views: readonly string[] }> } {
  const inner = new InMemoryOnlineStore({ catalog: testCatalog, namespace: `l1-${Math.random()}` });
  const reads: Array<{ keys: readonly EntityKey[]; views: readonly string[] }> = [];
  const read = inner.read.bind(inner);
  inner.read = (keys, views) => {
    reads.push({ keys, views });
    return read(keys, views);
  };
  return { store: inner, reads };
}

const kyc = (stored: StoredView | null | undefined) => stored?.values['kyc_level'];

describe('L1CachedOnlineStore', () => {
  afterEach(() => jest.useRealTimers());

  it('serves repeated reads from the cache, negative results included, and counts hits and misses', async () => {
    const { store, reads } = backend();
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 100, ttlMs: 60_000 });
    await l1.write([row(1, 5)]);
    const first = await l1.read([c(1), c(2)], ['customer_profile', 'customer_exposure']);
    const second = await l1.read([c(1), c(2)], ['customer_profile', 'customer_exposure']);
    expect(second).toEqual(first);
    expect(kyc(second[0][0])).toBe(5);
    expect(second[1]).toEqual([null, null]);
    expect(reads).toHaveLength(1);
    expect(l1.cacheStats()).toEqual({ hits: 4, misses: 4, evictions: 0, size: 4 });
    expect(l1.kind).toBe('l1+memory');
  });

  it('asks the store only for entities with a missing view, in one call with all requested views', async () => {
    const { store, reads } = backend();
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 100, ttlMs: 60_000 });
    await l1.write([row(1, 1), row(2, 2), row(3, 3)]);
    await l1.read([c(1), c(2)], ['customer_profile']);
    const result = await l1.read([c(3), c(1), c(2)], ['customer_profile', 'customer_exposure']);
    expect(result.map((r) => kyc(r[0]))).toEqual([3, 1, 2]);
    expect(reads[1]).toEqual({ keys: [c(3), c(1), c(2)], views: ['customer_profile', 'customer_exposure'] });
    await l1.read([c(3), c(1)], ['customer_exposure']);
    expect(reads).toHaveLength(2);
  });

  it('with the views\' entities, looks up and caches only each key\'s own views; the others are null', async () => {
    const { store, reads } = backend();
    const viewEntities = new Map(testCatalog.views.map((v) => [v.name, v.entity.name]));
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 100, ttlMs: 60_000, viewEntities });
    await l1.write([row(1, 5)]);
    const merchant: EntityKey = { entity: 'merchant', id: '10' };
    const views = ['customer_profile', 'merchant_risk'];
    const first = await l1.read([c(1), merchant], views);
    expect(kyc(first[0][0])).toBe(5);
    expect([first[0][1], first[1][0], first[1][1]]).toEqual([null, null, null]);
    // Two cells of four are the keys' own: two misses, two entries.
    expect(l1.cacheStats()).toEqual({ hits: 0, misses: 2, evictions: 0, size: 2 });
    expect(await l1.read([c(1), merchant], views)).toEqual(first);
    expect(l1.cacheStats()).toMatchObject({ hits: 2, misses: 2 });
    expect(reads).toHaveLength(1);
  });

  it('evicts the least recently used entries beyond maxEntries, and counts evictions', async () => {
    const { store } = backend();
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 2, ttlMs: 60_000 });
    await l1.read([c(1), c(2), c(3)], ['customer_profile']);
    expect(l1.cacheStats()).toMatchObject({ evictions: 1, size: 2 });
  });

  it('expires entries after ttlMs', async () => {
    const { store, reads } = backend();
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 10, ttlMs: 50 });
    await l1.read([c(1)], ['customer_profile']);
    await new Promise((r) => setTimeout(r, 80));
    await l1.read([c(1)], ['customer_profile']);
    expect(reads).toHaveLength(2);
  });

  it('drops the written entities on write, and what invalidate names', async () => {
    const { store, reads } = backend();
    const other = new L1CachedOnlineStore(store, { maxEntries: 10, ttlMs: 60_000 });
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 10, ttlMs: 60_000 });
    await l1.read([c(1), c(2)], ['customer_profile']);
    await l1.write([row(1, 7)]);
    expect(kyc((await l1.read([c(1)], ['customer_profile']))[0][0])).toBe(7);

    await other.write([row(2, 9)]); // another instance: this one learns only through invalidate
    expect((await l1.read([c(2)], ['customer_profile']))[0][0]).toBeNull();
    l1.invalidate([c(2)]);
    expect(kyc((await l1.read([c(2)], ['customer_profile']))[0][0])).toBe(9);
    expect(reads.length).toBe(3);
  });

  it('does not cache what a read got when its entity was invalidated while it was in flight', async () => {
    const { store } = backend();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = store.read.bind(store);
    const slow: OnlineStore = { ...store, kind: 'slow', read: async (k, v) => { const result = await read(k, v); await gate; return result; }, write: (r, o) => store.write(r, o), delete: (k) => store.delete(k), ping: () => store.ping(), close: () => store.close() };
    const l1 = new L1CachedOnlineStore(slow, { maxEntries: 10, ttlMs: 60_000 });
    await store.write([row(1, 1)]);
    const inFlight = l1.read([c(1)], ['customer_profile']);
    await store.write([row(1, 2)]);
    l1.invalidate([c(1)]);
    release();
    expect(kyc((await inFlight)[0][0])).toBe(1);
    expect(kyc((await l1.read([c(1)], ['customer_profile']))[0][0])).toBe(2);
  });

  it('passes store errors through and caches nothing for them', async () => {
    const { store } = backend();
    const l1 = new L1CachedOnlineStore(store, { maxEntries: 10, ttlMs: 60_000 });
    await store.close();
    await expect(l1.read([c(1)], ['customer_profile'])).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    await expect(l1.read([c(1)], ['no_such_view'])).rejects.toThrow(/no_such_view/);
    expect(l1.cacheStats().size).toBe(0);
  });

  it('rejects nonsensical options', () => {
    expect(() => new L1CachedOnlineStore(backend().store, { maxEntries: 0, ttlMs: 10 })).toThrow(RangeError);
  });
});
