import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The online store's generation, as PostgreSQL remembers it (one row): the store holds a marker of the same
 * generation once populated. A store that answers without its marker while this row exists has lost its
 * data (restarted without persistence, flushed, failed over to an empty replica), and batch-processor
 * rebuilds it; `rebuild_job_id` is the materialization that did.
 */
export class OnlineStoreGeneration1764900000000 implements MigrationInterface {
  name = 'OnlineStoreGeneration1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS online_store_generation (
        id             smallint    PRIMARY KEY CHECK (id = 1),
        generation     bigint      NOT NULL,
        started_at     timestamptz NOT NULL,
        rebuild_job_id text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS online_store_generation');
  }
}
