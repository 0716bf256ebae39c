import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch jobs: the job, its shards (ranges of entity ids) with their checkpoints, and the watermark of
 * each view's last successful materialization (incremental runs start from it).
 *
 * A shard's `checkpoint_id` is the highest id such that every id up to it is written: a redelivered shard
 * resumes after it. Job counters are updated in the same transaction as the shard they count.
 */
export class Jobs1764000000000 implements MigrationInterface {
  name = 'Jobs1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS feature_jobs (
        id           uuid        PRIMARY KEY,
        spec         jsonb       NOT NULL,
        state        text        NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
        shards_total integer     NOT NULL DEFAULT 0,
        shards_done  integer     NOT NULL DEFAULT 0,
        rows_done    bigint      NOT NULL DEFAULT 0,
        error        text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_jobs_created_idx ON feature_jobs (created_at DESC)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS feature_job_shards (
        job_id         uuid        NOT NULL REFERENCES feature_jobs (id) ON DELETE CASCADE,
        no             integer     NOT NULL,
        entity         text        NOT NULL,
        views          text[]      NOT NULL,
        from_id        bigint      NOT NULL,
        to_id          bigint      NOT NULL,
        as_of          timestamptz NOT NULL,
        changed_since  timestamptz,
        write_online   boolean     NOT NULL,
        state          text        NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
        checkpoint_id  bigint,
        rows_done      bigint      NOT NULL DEFAULT 0,
        attempts       integer     NOT NULL DEFAULT 0,
        error          text,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, no)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS materialization_watermarks (
        view       text        PRIMARY KEY,
        watermark  timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS materialization_watermarks');
    await q.query('DROP TABLE IF EXISTS feature_job_shards');
    await q.query('DROP TABLE IF EXISTS feature_jobs');
  }
}
