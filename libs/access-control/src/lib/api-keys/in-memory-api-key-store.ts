import type { ApiKeyRecord, ApiKeyStore, NewApiKeyRecord } from './api-key-store.port';

/** The reference ApiKeyStore, in process memory: for tests and a stack in one process. */
export class InMemoryApiKeyStore implements ApiKeyStore {
  private readonly keys = new Map<string, ApiKeyRecord>();

  async find(id: string): Promise<ApiKeyRecord | null> {
    return this.keys.get(id) ?? null;
  }

  async insert(key: NewApiKeyRecord): Promise<boolean> {
    if (this.keys.has(key.id)) return false;
    this.keys.set(key.id, { ...key, secretHash: Uint8Array.from(key.secretHash), scopes: [...key.scopes], lastUsedAt: null, revokedAt: null, replacedBy: null });
    return true;
  }

  async list(options: { limit: number; owner?: string; includeInactive: boolean; now: Date }): Promise<ApiKeyRecord[]> {
    const now = options.now.getTime();
    const active = (k: ApiKeyRecord) => (k.revokedAt === null || k.revokedAt.getTime() > now) && (k.expiresAt === null || k.expiresAt.getTime() > now);
    return [...this.keys.values()]
      .filter((k) => (options.owner === undefined || k.owner === options.owner) && (options.includeInactive || active(k)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, options.limit);
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord | null> {
    const key = this.keys.get(id);
    if (!key) return null;
    const revoked = { ...key, revokedAt: key.revokedAt && key.revokedAt <= at ? key.revokedAt : at };
    this.keys.set(id, revoked);
    return revoked;
  }

  async rotate(id: string, replacement: NewApiKeyRecord, oldKeyUntil: Date): Promise<ApiKeyRecord | null> {
    if (!this.keys.has(id)) return null;
    if (this.keys.has(replacement.id)) throw new RangeError(`API key id ${replacement.id} is taken`);
    await this.insert(replacement);
    const old = (await this.revoke(id, oldKeyUntil)) as ApiKeyRecord;
    const rotated = { ...old, replacedBy: replacement.id };
    this.keys.set(id, rotated);
    return rotated;
  }

  async touch(ids: readonly string[], at: Date): Promise<void> {
    for (const id of ids) {
      const key = this.keys.get(id);
      if (key && (key.lastUsedAt === null || key.lastUsedAt < at)) this.keys.set(id, { ...key, lastUsedAt: at });
    }
  }
}
