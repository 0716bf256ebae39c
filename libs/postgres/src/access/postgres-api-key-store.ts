import type { ApiKeyRecord, ApiKeyStore, NewApiKeyRecord, Scope } from '@bnpl/access-control';
import type { SourceDatabase } from '../lib/source-database';

type Row = Record<string, unknown>;

const COLUMNS = 'id, secret_hash, owner, description, scopes, rate_limit_per_second, created_at, last_used_at, expires_at, revoked_at, replaced_by';

const returningRows = (update: string) => `WITH u AS (${update}) SELECT * FROM u`;

/** The key table (migration ApiKeys1764600000000) over PostgreSQL; see the ApiKeyStore port. */
export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: SourceDatabase) {}

  async find(id: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  async insert(key: NewApiKeyRecord): Promise<boolean> {
    const rows = await this.db.query<Row>(
      `INSERT INTO api_keys (id, secret_hash, owner, description, scopes, rate_limit_per_second, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [key.id, Buffer.from(key.secretHash), key.owner, key.description, key.scopes, key.rateLimitPerSecond, key.createdAt, key.expiresAt],
    );
    return rows.length === 1;
  }

  async list(options: { limit: number; owner?: string; includeInactive: boolean; now: Date }): Promise<ApiKeyRecord[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE ($2::text IS NULL OR owner = $2)
         AND ($3 OR ((revoked_at IS NULL OR revoked_at > $4) AND (expires_at IS NULL OR expires_at > $4)))
       ORDER BY created_at DESC, id LIMIT $1`,
      [options.limit, options.owner ?? null, options.includeInactive, options.now],
    );
    return rows.map(toRecord);
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord | null> {
    const [row] = await this.db.query<Row>(returningRows(`UPDATE api_keys SET revoked_at = LEAST(coalesce(revoked_at, $2), $2) WHERE id = $1 RETURNING ${COLUMNS}`), [id, at]);
    return row ? toRecord(row) : null;
  }

  async rotate(id: string, replacement: NewApiKeyRecord, oldKeyUntil: Date): Promise<ApiKeyRecord | null> {
    return this.db.transaction(async (query) => {
      const [old] = await query<Row>('SELECT id FROM api_keys WHERE id = $1 FOR UPDATE', [id]);
      if (!old) return null;
      const inserted = await query<Row>(
        `INSERT INTO api_keys (id, secret_hash, owner, description, scopes, rate_limit_per_second, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [replacement.id, Buffer.from(replacement.secretHash), replacement.owner, replacement.description, replacement.scopes, replacement.rateLimitPerSecond, replacement.createdAt, replacement.expiresAt],
      );
      if (inserted.length !== 1) throw new RangeError(`API key id ${replacement.id} is taken`);
      const [row] = await query<Row>(
        returningRows(`UPDATE api_keys SET revoked_at = LEAST(coalesce(revoked_at, $2), $2), replaced_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`),
        [id, oldKeyUntil, replacement.id],
      );
      return toRecord(row);
    });
  }

  async touch(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = ANY($1::text[]) AND (last_used_at IS NULL OR last_used_at < $2)`, [ids, at]);
  }
}

function toRecord(row: Row): ApiKeyRecord {
  return {
    id: row.id as string,
    secretHash: new Uint8Array(row.secret_hash as Buffer),
    owner: row.owner as string,
    description: row.description as string,
    scopes: row.scopes as Scope[],
    rateLimitPerSecond: (row.rate_limit_per_second as number | null) ?? null,
    createdAt: row.created_at as Date,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
    expiresAt: (row.expires_at as Date | null) ?? null,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    replacedBy: (row.replaced_by as string | null) ?? null,
  };
}
