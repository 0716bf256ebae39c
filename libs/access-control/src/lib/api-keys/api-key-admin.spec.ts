import { ApiKeyNotFoundError } from '../errors/api-key-not-found.error';
import { InvalidApiKeySpecError } from '../errors/invalid-api-key-spec.error';
import { apiKeyIdOf, matchesApiKeyHash } from './api-key';
import { ApiKeyAdmin } from './api-key-admin';
import { InMemoryApiKeyStore } from './in-memory-api-key-store';

describe('ApiKeyAdmin', () => {
  let now: number;
  let store: InMemoryApiKeyStore;
  let announced: string[];
  let notifyFails: boolean;
  let notifyErrors: string[];
  let admin: ApiKeyAdmin;

  beforeEach(() => {
    now = Date.UTC(2026, 5, 1);
    store = new InMemoryApiKeyStore();
    announced = [];
    notifyFails = false;
    notifyErrors = [];
    admin = new ApiKeyAdmin(
      store,
      {
        keyRevoked: async (id, at) => {
          if (notifyFails) throw new Error('messaging down');
          announced.push(`${id}@${at.toISOString()}`);
        },
      },
      { clock: () => now, onNotifyError: (id) => notifyErrors.push(id) },
    );
  });

  it('creates a key, returns it once, and stores only its hash', async () => {
    const created = await admin.create({ owner: 'risk-engine', description: 'prod', scopes: ['catalog:read', 'features:read', 'features:read'], rateLimitPerSecond: 300 });
    expect(apiKeyIdOf(created.plaintext)).toBe(created.record.id);
    const stored = await store.find(created.record.id);
    expect(stored).toMatchObject({ owner: 'risk-engine', description: 'prod', scopes: ['features:read', 'catalog:read'], rateLimitPerSecond: 300, expiresAt: null, revokedAt: null });
    expect(matchesApiKeyHash(created.plaintext, stored?.secretHash ?? new Uint8Array())).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(created.plaintext.slice(17));
  });

  it.each([
    [{ owner: '', scopes: ['admin'] }, /owner/],
    [{ owner: 'a b', scopes: ['admin'] }, /owner/],
    [{ owner: 'x'.repeat(101), scopes: ['admin'] }, /owner/],
    [{ owner: 'ok', scopes: [] }, /at least one scope/],
    [{ owner: 'ok', scopes: ['root'] }, /unknown scope "root"/],
    [{ owner: 'ok', scopes: 'admin' as unknown as string[] }, /list of scope names/],
    [{ owner: 'ok', scopes: ['admin'], rateLimitPerSecond: 0 }, /rate limit/],
    [{ owner: 'ok', scopes: ['admin'], rateLimitPerSecond: 1.5 }, /rate limit/],
    [{ owner: 'ok', scopes: ['admin'], expiresAt: new Date(Date.UTC(2026, 0, 1)) }, /future/],
    [{ owner: 'ok', scopes: ['admin'], description: 'd'.repeat(201) }, /description/],
  ])('refuses %j', async (command, message) => {
    await expect(admin.create(command)).rejects.toThrow(InvalidApiKeySpecError);
    await expect(admin.create(command)).rejects.toThrow(message);
  });

  it('revokes at once, announces it, and is idempotent', async () => {
    const { record } = await admin.create({ owner: 'o', scopes: ['jobs:read'] });
    now += 1000;
    expect((await admin.revoke(record.id)).revokedAt).toEqual(new Date(now));
    now += 1000;
    expect((await admin.revoke(record.id)).revokedAt).toEqual(new Date(now - 1000));
    expect(announced).toHaveLength(2);
    await expect(admin.revoke('aaaaaaaaaaaa')).rejects.toThrow(ApiKeyNotFoundError);
    await expect(admin.revoke('nope')).rejects.toThrow(InvalidApiKeySpecError);
  });

  it('keeps a revocation that could not be announced, and says so', async () => {
    const { record } = await admin.create({ owner: 'o', scopes: ['jobs:read'] });
    notifyFails = true;
    expect((await admin.revoke(record.id)).revokedAt).not.toBeNull();
    expect(notifyErrors).toEqual([record.id]);
  });

  it('rotates: same owner, scopes, limit and expiry; the old key works until the grace ends', async () => {
    const expiresAt = new Date(now + 30 * 86_400_000);
    const old = await admin.create({ owner: 'batch', scopes: ['jobs:write', 'jobs:read'], rateLimitPerSecond: 10, expiresAt });
    const rotated = await admin.rotate(old.record.id, 60);
    expect(rotated.plaintext).not.toBe(old.plaintext);
    expect(rotated.record).toMatchObject({ owner: 'batch', scopes: ['jobs:write', 'jobs:read'], rateLimitPerSecond: 10, expiresAt });
    expect(rotated.previous).toMatchObject({ id: old.record.id, replacedBy: rotated.record.id, revokedAt: new Date(now + 60_000) });
    expect(announced).toEqual([`${old.record.id}@${new Date(now + 60_000).toISOString()}`]);
    now += 61_000;
    await expect(admin.rotate(old.record.id)).rejects.toThrow(/revoked or expired/);
    await expect(admin.rotate(rotated.record.id, -1)).rejects.toThrow(/grace/);
    await expect(admin.rotate('bbbbbbbbbbbb')).rejects.toThrow(ApiKeyNotFoundError);
  });

  it('lists active keys by default and checks the limit', async () => {
    const a = await admin.create({ owner: 'o', scopes: ['admin'] });
    now += 1;
    const b = await admin.create({ owner: 'o', scopes: ['admin'] });
    await admin.revoke(a.record.id);
    expect((await admin.list({ limit: 10 })).map((k) => k.id)).toEqual([b.record.id]);
    expect((await admin.list({ limit: 10, includeInactive: true })).map((k) => k.id)).toEqual([b.record.id, a.record.id]);
    expect(() => admin.list({ limit: 0 })).toThrow(/limit/);
  });
});
