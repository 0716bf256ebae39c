import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled jobs: each schedule the batch-processors run (its definition as in the schedules file) and
 * what they did with it: the last run fired (its due instant, when, the job it submitted, how many due
 * instants it stood for) and the last failure to submit. `since` is when the schedule was defined or its
 * timing last changed: no run before it is owed. Written only under the scheduler's advisory lock.
 */
export class JobSchedules1764750000000 implements MigrationInterface {
  name = 'JobSchedules1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS feature_job_schedules (
        name            text        PRIMARY KEY,
        definition      jsonb       NOT NULL,
        since           timestamptz NOT NULL,
        last_due_at     timestamptz,
        last_fired_at   timestamptz,
        last_job_id     uuid,
        last_due_runs   integer,
        last_error      text,
        last_error_at   timestamptz,
        failures        integer     NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS feature_job_schedules');
  }
}
