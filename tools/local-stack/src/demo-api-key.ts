import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyAdmin, apiKeyIdOf, matchesApiKeyHash, SCOPES } from '@bnpl/access-control';
import { PostgresApiKeyStore, SourceDatabase } from '@bnpl/postgres';

/** Where the demo key is kept between runs: the data directory is the developer's own. */
export const DEMO_KEY_FILE = 'demo-api-key';

/**
 * The local stack's API key: created at first start (every scope, owner `local-demo`), kept in the data
 * directory (mode 0600) so that the banner shows the same key on later starts, and created again when the
 * file is gone or the key no longer works (revoked, or a database reset).
 */
export async function ensureDemoApiKey(databaseUrl: string, dataDir: string): Promise<{ key: string; created: boolean; file: string }> {
  const file = join(dataDir, DEMO_KEY_FILE);
  const db = new SourceDatabase({ type: 'postgres', url: databaseUrl, poolSize: 1, applicationName: 'local-stack' });
  await db.start();
  try {
    const store = new PostgresApiKeyStore(db);
    if (existsSync(file)) {
      const key = readFileSync(file, 'utf8').trim();
      const id = apiKeyIdOf(key);
      const record = id ? await store.find(id) : null;
      const now = Date.now();
      if (record && matchesApiKeyHash(key, record.secretHash) && (record.revokedAt === null || record.revokedAt.getTime() > now) && (record.expiresAt === null || record.expiresAt.getTime() > now)) {
        return { key, created: false, file };
      }
    }
    const admin = new ApiKeyAdmin(store, { keyRevoked: async () => undefined });
    const created = await admin.create({ owner: 'local-demo', description: 'created by npm start for the local stack', scopes: SCOPES });
    writeFileSync(file, `${created.plaintext}\n`, { mode: 0o600 });
    return { key: created.plaintext, created: true, file };
  } finally {
    await db.close();
  }
}
