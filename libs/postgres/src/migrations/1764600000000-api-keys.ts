import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys (see @bnpl/access-control): the key's public id and the SHA-256 of the whole key, never the
 * key itself. `revoked_at` is when the key stops working (a rotation may set it in the future); a key
 * is active while neither `revoked_at` nor `expires_at` has come.
 */
export class ApiKeys1764600000000 implements MigrationInterface {
  name = 'ApiKeys1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS api_keys (
        id                    text        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
        secret_hash           bytea       NOT NULL CHECK (length(secret_hash) = 32),
        owner                 text        NOT NULL,
        description           text        NOT NULL DEFAULT '',
        scopes                text[]      NOT NULL CHECK (cardinality(scopes) > 0),
        rate_limit_per_second integer     CHECK (rate_limit_per_second > 0),
        created_at            timestamptz NOT NULL DEFAULT now(),
        last_used_at          timestamptz,
        expires_at            timestamptz,
        revoked_at            timestamptz,
        replaced_by           text        REFERENCES api_keys (id)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS api_keys_owner_idx ON api_keys (owner, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS api_keys');
  }
}
