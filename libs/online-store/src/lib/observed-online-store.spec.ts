import { InvalidEntityIdError, UnknownFeatureViewError } from '@bnpl/feature-definitions';
import { OnlineStoreUnavailableError } from './errors/online-store-unavailable.error';
import { InMemoryOnlineStore } from './in-memory-online-store';
import { L1CachedOnlineStore, isCachingOnlineStore } from './l1-cached-online-store';
import { ObservedOnlineStore, type ObservedCall } from './observed-online-store';
import type { EntityKey, OnlineRow } from './online-store.port';
import { testCatalog } from './online-store.test-catalog';

const c = (id: number): EntityKey => ({ entity: 'customer', id: String(id) });
const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1_000);
const row = (id: number, kyc: number, t = kyc): OnlineRow => ({ key: c(id), view: 'customer_profile', values: { kyc_level: kyc }, eventTime: at(t) });
const kyc = async (store: ObservedOnlineStore, id: number) => (await store.inner.read([c(id)], ['customer_profile']))[0][0]?.values['kyc_level'] ?? null;

let n = 0;
const memory = () => new InMemoryOnlineStore({ catalog: testCatalog, namespace: `observed-spec-${++n}` });

/** Settles what can settle (the decorator's calls resolve in microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ObservedOnlineStore', () => {
  describe('storage', () => {
    it('is the in-memory adapter: a fresh store of its own, if-newer writes, every feature read back, its errors', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      const other = new ObservedOnlineStore({ catalog: testCatalog });
      expect(store.kind).toBe('memory');

      await expect(store.write([row(1, 2)])).resolves.toEqual({ written: 1, skipped: 0 });
      await expect(store.write([row(1, 1)])).resolves.toEqual({ written: 0, skipped: 1 });
      const [[stored]] = await store.read([c(1)], ['customer_profile']);
      expect(stored).toEqual({ values: { account_age_days: null, kyc_level: 2, country: null, account_status: null }, eventTime: at(2) });
      await expect(other.read([c(1)], ['customer_profile'])).resolves.toEqual([[null]]);

      await expect(store.read([c(1)], ['no_such_view'])).rejects.toBeInstanceOf(UnknownFeatureViewError);
      await expect(store.read([{ entity: 'customer', id: '007' }], ['customer_profile'])).rejects.toBeInstanceOf(InvalidEntityIdError);
      await store.writeStreamWatermark?.(at(10));
      await store.writeStreamWatermark?.(at(5));
      await expect(store.readStreamWatermark?.()).resolves.toEqual(at(10));
    });

    it('observes any store given, under its kind', async () => {
      const inner = memory();
      const store = new ObservedOnlineStore({ inner });
      await store.write([row(3, 3)]);
      expect(store.inner).toBe(inner);
      await expect(inner.read([c(3)], ['customer_profile'])).resolves.toEqual([[expect.objectContaining({ eventTime: at(3) })]]);
    });
  });

  describe('call log', () => {
    it('records every call in order with copies of its arguments and its outcome', async () => {
      const seen: string[] = [];
      const store = new ObservedOnlineStore({ catalog: testCatalog, onCall: (call) => seen.push(`${call.method} ${call.outcome}`) });
      const keys = [c(1), c(2)];
      await store.write([row(1, 1)], { mode: 'overwrite' });
      await store.read(keys, ['customer_profile']);
      keys.push(c(3)); // the log keeps what was asked then
      await store.read([c(1)], ['nope']).catch(() => undefined);
      await store.delete([c(2)]);
      await store.writeStreamWatermark?.(at(1));
      await store.readStreamWatermark?.();
      await store.ping();
      await store.close();

      expect(seen).toEqual(['write pending', 'read pending', 'read pending', 'delete pending', 'writeStreamWatermark pending', 'readStreamWatermark pending', 'ping pending', 'close pending']);
      expect(store.calls.map((call) => [call.method, call.outcome])).toEqual([
        ['write', 'fulfilled'],
        ['read', 'fulfilled'],
        ['read', 'rejected'],
        ['delete', 'fulfilled'],
        ['writeStreamWatermark', 'fulfilled'],
        ['readStreamWatermark', 'fulfilled'],
        ['ping', 'fulfilled'],
        ['close', 'fulfilled'],
      ]);
      expect(store.calls[2].error).toBeInstanceOf(UnknownFeatureViewError);
      expect(store.reads).toEqual([
        { keys: [c(1), c(2)], views: ['customer_profile'] },
        { keys: [c(1)], views: ['nope'] },
      ]);
      expect(store.writes).toEqual([{ rows: [row(1, 1)], options: { mode: 'overwrite' } }]);
      expect(store.deletes).toEqual([[c(2)]]);
      expect(store.callsOf('writeStreamWatermark').map((call) => call.appliedThrough)).toEqual([at(1)]);
      expect(store.callsOf('read', 'rejected')).toHaveLength(1);
    });

    it('records a write without options as such', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      await store.write([row(1, 1)]);
      expect(store.calls[0]).not.toHaveProperty('options');
    });

    it('keeps arrangements made through inner out of the log', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      await store.inner.write([row(1, 1)]);
      expect(store.calls).toEqual([]);
      expect(await kyc(store, 1)).toBe(1);
    });
  });

  describe('caching inner store', () => {
    it('has invalidate and cacheStats only over a caching store, and records invalidations', async () => {
      const plain = new ObservedOnlineStore({ catalog: testCatalog });
      expect(isCachingOnlineStore(plain)).toBe(false);
      expect(plain.invalidate).toBeUndefined();

      const backend = memory();
      const l1 = new L1CachedOnlineStore(backend, { maxEntries: 10, ttlMs: 60_000 });
      const store = new ObservedOnlineStore({ inner: l1 });
      expect(isCachingOnlineStore(store)).toBe(true);
      expect(store.kind).toBe('l1+memory');

      await store.read([c(1)], ['customer_profile']);
      await backend.write([row(1, 4)]); // behind the cache's back
      expect((await store.read([c(1)], ['customer_profile']))[0][0]).toBeNull();
      store.invalidate?.([c(1)]);
      expect((await store.read([c(1)], ['customer_profile']))[0][0]?.values['kyc_level']).toBe(4);
      expect(store.invalidations).toEqual([[c(1)]]);
      expect(store.callsOf('invalidate')[0].outcome).toBe('fulfilled');
      expect(store.cacheStats?.()).toEqual(l1.cacheStats());
      expect(store.cacheStats?.()).toMatchObject({ hits: 1, misses: 2 });
    });

    it('has no watermark methods over a store that keeps none', () => {
      const inner = memory();
      const store = new ObservedOnlineStore({ inner: Object.assign(inner, { writeStreamWatermark: undefined, readStreamWatermark: undefined }) });
      expect(store.writeStreamWatermark).toBeUndefined();
      expect(store.readStreamWatermark).toBeUndefined();
    });
  });

  describe('faults', () => {
    it('down: every call rejects with OnlineStoreUnavailableError without reaching the store; close still closes', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      await store.write([row(1, 1)]);
      store.down = true;
      store.downDetail = 'READONLY';
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['read', () => store.read([c(1)], ['customer_profile'])],
        ['write', () => store.write([row(1, 9, 9)])],
        ['delete', () => store.delete([c(1)])],
        ['ping', () => store.ping()],
        ['writeStreamWatermark', async () => store.writeStreamWatermark?.(at(1))],
        ['readStreamWatermark', async () => store.readStreamWatermark?.()],
      ];
      for (const [method, call] of calls) {
        const error = await call().then(() => null, (e: unknown) => e);
        expect([method, error]).toEqual([method, expect.any(OnlineStoreUnavailableError)]);
        expect((error as OnlineStoreUnavailableError).message).toBe('Online store (memory) unavailable: READONLY');
        expect((error as OnlineStoreUnavailableError).reason).toBe('ONLINE_STORE_UNAVAILABLE');
      }
      expect(await kyc(store, 1)).toBe(1); // neither the write nor the delete reached it
      await expect(store.inner.readStreamWatermark?.()).resolves.toBeNull();
      expect(store.calls.map((call) => call.outcome)).toEqual(['fulfilled', ...calls.map(() => 'rejected')]);

      store.down = false;
      await expect(store.read([c(1)], ['customer_profile'])).resolves.toEqual([[expect.objectContaining({ eventTime: at(1) })]]);
      store.down = true;
      await store.close();
      await expect(store.inner.ping()).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    });

    it('writeError: writes reject with it and store nothing; a function picks the writes to fail', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      const error = new Error('OOM command not allowed');
      store.writeError = error;
      await expect(store.write([row(1, 1)])).rejects.toBe(error);
      await expect(store.read([c(1)], ['customer_profile'])).resolves.toEqual([[null]]);

      store.writeError = (rows) => (rows.some((r) => r.key.id === '8') ? error : undefined);
      await expect(store.write([row(7, 7)])).resolves.toEqual({ written: 1, skipped: 0 });
      await expect(store.write([row(6, 6), row(8, 8)])).rejects.toBe(error);
      expect(await kyc(store, 6)).toBeNull();
      store.writeError = null;
      await expect(store.write([row(8, 8)])).resolves.toEqual({ written: 1, skipped: 0 });
      expect(store.callsOf('write').map((call) => call.outcome)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    });

    it('hold/release: calls made while held are recorded and wait; later calls do not', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      store.hold();
      let done = false;
      const write = store.write([row(1, 1)]).then((result) => ((done = true), result));
      const read = store.read([c(1)], ['customer_profile']);
      await settle();
      expect(done).toBe(false);
      expect(store.calls.map((call: ObservedCall) => [call.method, call.outcome])).toEqual([['write', 'pending'], ['read', 'pending']]);
      expect(await kyc(store, 1)).toBeNull();

      store.release();
      await expect(write).resolves.toEqual({ written: 1, skipped: 0 });
      await expect(read).resolves.toEqual([[expect.objectContaining({ eventTime: at(1) })]]); // in order
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('applies down to held calls when they are released', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      store.hold();
      const write = store.write([row(1, 1)]);
      store.down = true;
      store.release();
      await expect(write).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
    });

    it('failOver: later calls go to another store, with its data and its (older, or no) watermark', async () => {
      const store = new ObservedOnlineStore({ catalog: testCatalog });
      await store.write([row(1, 5)]);
      await store.writeStreamWatermark?.(at(100));
      const replica = memory();
      await replica.write([row(1, 3)]);
      await replica.writeStreamWatermark(at(50));

      store.failOver(replica);
      expect(store.inner).toBe(replica);
      expect((await store.read([c(1)], ['customer_profile']))[0][0]?.values['kyc_level']).toBe(3);
      await expect(store.readStreamWatermark?.()).resolves.toEqual(at(50));
      store.failOver(memory());
      await expect(store.readStreamWatermark?.()).resolves.toBeNull();
      expect(store.reads).toHaveLength(1);
    });

    it('refuses to fail over to a store lacking a method the observed store exposes', () => {
      const cached = new ObservedOnlineStore({ inner: new L1CachedOnlineStore(memory(), { maxEntries: 1, ttlMs: 1_000 }) });
      expect(() => cached.failOver(memory())).toThrow(/lacks invalidate, cacheStats/);
    });
  });
});
