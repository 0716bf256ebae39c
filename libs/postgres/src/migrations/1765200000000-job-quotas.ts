import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quotas and fair scheduling of jobs:
 * - a job remembers its principal (who submitted it: an API key's owner, a token's subject, `anonymous`
 *   with access control off, `system` for the scheduler and the online-store rebuild), so that jobs in
 *   flight are counted per principal at submission (the partial index keeps that count cheap);
 * - the queue is filled across all running jobs, turn by turn between principals: the partial indexes
 *   find each running job's next unqueued shards and its queued, not started ones without reading its
 *   finished shards.
 */
export class JobQuotas1765200000000 implements MigrationInterface {
  name = 'JobQuotas1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feature_jobs ADD COLUMN IF NOT EXISTS principal text NOT NULL DEFAULT 'system'`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_jobs_in_flight_idx ON feature_jobs (principal) WHERE state IN ('pending', 'running')`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_job_shards_unqueued_idx ON feature_job_shards (job_id, no) WHERE state = 'pending' AND queued_at IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_job_shards_waiting_idx ON feature_job_shards (job_id) WHERE state = 'pending' AND queued_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS feature_job_shards_waiting_idx');
    await q.query('DROP INDEX IF EXISTS feature_job_shards_unqueued_idx');
    await q.query('DROP INDEX IF EXISTS feature_jobs_in_flight_idx');
    await q.query('ALTER TABLE feature_jobs DROP COLUMN IF EXISTS principal');
  }
}
