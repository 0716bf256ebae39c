import { ApiKeyAdmin, SCOPES, type Scope } from '@bnpl/access-control';
import { PostgresApiKeyStore, SourceDatabase } from '@bnpl/postgres';

export interface TestApiKeySpec {
  /** Default `test-client`. */
  readonly owner?: string;
  /** Default every scope. */
  readonly scopes?: readonly Scope[];
  readonly rateLimitPerSecond?: number;
  readonly expiresAt?: Date;
}

export interface TestApiKey {
  readonly id: string;
  /** The key to send: `x-api-key: <key>`. */
  readonly key: string;
  /** `{ 'x-api-key': key }`, for fetch. */
  readonly headers: Record<string, string>;
}

/**
 * Creates an API key straight in a migrated database's key table (the services read it from there), as
 * `fs keys create` would through the API: for suites that run services with access control on.
 */
export async function createTestApiKey(databaseUrl: string, spec: TestApiKeySpec = {}): Promise<TestApiKey> {
  const db = new SourceDatabase({ type: 'postgres', url: databaseUrl, poolSize: 1, applicationName: 'test-api-keys' });
  await db.start();
  try {
    const admin = new ApiKeyAdmin(new PostgresApiKeyStore(db), { keyRevoked: async () => undefined });
    const created = await admin.create({
      owner: spec.owner ?? 'test-client',
      scopes: spec.scopes ?? SCOPES,
      rateLimitPerSecond: spec.rateLimitPerSecond ?? null,
      expiresAt: spec.expiresAt ?? null,
    });
    return { id: created.record.id, key: created.plaintext, headers: { 'x-api-key': created.plaintext } };
  } finally {
    await db.close();
  }
}
