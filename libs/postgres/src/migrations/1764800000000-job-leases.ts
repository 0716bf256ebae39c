import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that never stall, and submissions that never duplicate:
 * - a shard is handed to the queue only when there is room in its job's window (`queued_at`, and how many
 *   times: `deliveries`), shows its runner is alive (`heartbeat_at`) and when it last moved
 *   (`progress_at`: a start, a checkpoint, the finish), so that lost messages and dead runners are seen
 *   and a job with no progress fails instead of staying running;
 * - a materialization records where its views' watermarks move on success (`watermark_to`);
 * - a job remembers the client's idempotency key and a digest of its request: a retry with the key gets
 *   the job back, the key with another request is refused.
 */
export class JobLeases1764800000000 implements MigrationInterface {
  name = 'JobLeases1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE feature_job_shards
        ADD COLUMN IF NOT EXISTS queued_at    timestamptz,
        ADD COLUMN IF NOT EXISTS deliveries   integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz,
        ADD COLUMN IF NOT EXISTS progress_at  timestamptz,
        ADD COLUMN IF NOT EXISTS watermark_to timestamptz`);
    // Shards planned before this migration were all published at submission.
    await q.query(`UPDATE feature_job_shards SET queued_at = updated_at, deliveries = 1 WHERE queued_at IS NULL`);
    await q.query(`
      ALTER TABLE feature_jobs
        ADD COLUMN IF NOT EXISTS idempotency_key     text,
        ADD COLUMN IF NOT EXISTS request_fingerprint text`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS feature_jobs_idempotency_key_idx ON feature_jobs (idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_jobs_running_idx ON feature_jobs (created_at) WHERE state = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS feature_jobs_running_idx');
    await q.query('DROP INDEX IF EXISTS feature_jobs_idempotency_key_idx');
    await q.query('ALTER TABLE feature_jobs DROP COLUMN IF EXISTS request_fingerprint, DROP COLUMN IF EXISTS idempotency_key');
    await q.query(
      'ALTER TABLE feature_job_shards DROP COLUMN IF EXISTS watermark_to, DROP COLUMN IF EXISTS progress_at, DROP COLUMN IF EXISTS heartbeat_at, DROP COLUMN IF EXISTS deliveries, DROP COLUMN IF EXISTS queued_at',
    );
  }
}
