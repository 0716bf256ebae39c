import { generateApiKey, hashApiKey } from './api-key';
import type { ApiKeyStore, NewApiKeyRecord } from './api-key-store.port';

export interface ApiKeyStoreContractSubject {
  readonly store: ApiKeyStore;
  dispose(): Promise<void>;
}

/** The ApiKeyStore contract, run against every adapter: `describeApiKeyStoreContract('postgres', async () => ({ store, dispose }))`. */
export function describeApiKeyStoreContract(name: string, setup: () => Promise<ApiKeyStoreContractSubject>): void {
  describe(`ApiKeyStore contract: ${name}`, () => {
    let subject: ApiKeyStoreContractSubject;
    let store: ApiKeyStore;
    // Owners unique to this run: a shared store keeps the keys of earlier runs and tests.
    const run = `contract-${process.pid}-${Date.now()}`;
    const base = Date.UTC(2026, 0, 1);
    const newKey = (owner: string, overrides: Partial<NewApiKeyRecord> = {}): NewApiKeyRecord => {
      const key = generateApiKey();
      return { id: key.id, secretHash: key.secretHash, owner, description: 'd', scopes: ['features:read'], rateLimitPerSecond: null, expiresAt: null, createdAt: new Date(base), ...overrides };
    };

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(() => subject?.dispose());

    it('stores a key and finds it by id, hash and all', async () => {
      const key = newKey(`${run}-a`, { scopes: ['features:read', 'jobs:read'], rateLimitPerSecond: 250, expiresAt: new Date(base + 86_400_000), description: 'risk engine, eu-west' });
      expect(await store.insert(key)).toBe(true);
      const found = await store.find(key.id);
      expect(found).toEqual({ ...key, secretHash: expect.anything(), lastUsedAt: null, revokedAt: null, replacedBy: null });
      expect(Buffer.from(found?.secretHash ?? []).equals(Buffer.from(key.secretHash))).toBe(true);
      expect(await store.find('000000000000')).toBeNull();
    });

    it('refuses a second key with the same id, keeping the first', async () => {
      const key = newKey(`${run}-dup`);
      expect(await store.insert(key)).toBe(true);
      expect(await store.insert({ ...key, owner: `${run}-other`, secretHash: hashApiKey('x') })).toBe(false);
      expect((await store.find(key.id))?.owner).toBe(`${run}-dup`);
    });

    it('revokes: the earliest revocation stays', async () => {
      const key = newKey(`${run}-r`);
      await store.insert(key);
      const at = new Date(base + 1000);
      expect((await store.revoke(key.id, at))?.revokedAt).toEqual(at);
      expect((await store.revoke(key.id, new Date(base + 5000)))?.revokedAt).toEqual(at);
      expect((await store.revoke(key.id, new Date(base + 10)))?.revokedAt).toEqual(new Date(base + 10));
      expect(await store.revoke('ffffffffffff', at)).toBeNull();
    });

    it('rotates in one step: the replacement exists, the old key points at it and stops at the given instant', async () => {
      const old = newKey(`${run}-rot`, { scopes: ['jobs:write'] });
      await store.insert(old);
      const replacement = newKey(`${run}-rot`, { scopes: ['jobs:write'] });
      const until = new Date(base + 60_000);
      const after = await store.rotate(old.id, replacement, until);
      expect(after).toMatchObject({ id: old.id, replacedBy: replacement.id, revokedAt: until });
      expect(await store.find(replacement.id)).toMatchObject({ owner: `${run}-rot`, revokedAt: null });
      expect(await store.rotate('ffffffffffff', newKey(`${run}-rot`), until)).toBeNull();
      const clash = newKey(`${run}-rot`, { id: replacement.id });
      await expect(store.rotate(old.id, clash, until)).rejects.toThrow(RangeError);
    });

    it('lists newest first, active keys unless asked, by owner', async () => {
      const owner = `${run}-list`;
      const now = new Date(base + 10_000);
      const keys = [
        newKey(owner, { createdAt: new Date(base + 1) }),
        newKey(owner, { createdAt: new Date(base + 2) }),
        newKey(owner, { createdAt: new Date(base + 3), expiresAt: new Date(base + 5_000) }),
        newKey(owner, { createdAt: new Date(base + 4) }),
      ];
      for (const key of keys) await store.insert(key);
      await store.revoke(keys[3].id, new Date(base + 100));
      const active = await store.list({ limit: 10, owner, includeInactive: false, now });
      expect(active.map((k) => k.id)).toEqual([keys[1].id, keys[0].id]);
      const all = await store.list({ limit: 10, owner, includeInactive: true, now });
      expect(all.map((k) => k.id)).toEqual([keys[3].id, keys[2].id, keys[1].id, keys[0].id]);
      expect(await store.list({ limit: 1, owner, includeInactive: true, now })).toHaveLength(1);
      // A key revoked in the future (a rotation's grace) is still active.
      await store.revoke(keys[0].id, new Date(base + 20_000));
      expect((await store.list({ limit: 10, owner, includeInactive: false, now })).map((k) => k.id)).toEqual([keys[1].id, keys[0].id]);
    });

    it('records the latest use and ignores unknown ids', async () => {
      const key = newKey(`${run}-t`);
      await store.insert(key);
      await store.touch([key.id, 'eeeeeeeeeeee'], new Date(base + 500));
      await store.touch([key.id], new Date(base + 200));
      expect((await store.find(key.id))?.lastUsedAt).toEqual(new Date(base + 500));
    });
  });
}
