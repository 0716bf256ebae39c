import type { LockOutcome, ScheduleDefinition, ScheduleLedger, ScheduleRecord, ScheduleRepository, ScheduleRun } from '@bnpl/scheduling';
import { advisoryLockKey, withTryAdvisoryXactLock, type SqlInTransaction } from '../locks/advisory-lock';
import type { SourceDatabase } from '../lib/source-database';

/** The one lock every batch-processor's scheduler takes for a tick. */
export const JOB_SCHEDULER_LOCK_KEY = advisoryLockKey('bnpl.feature-store.job-scheduler');

type Row = Record<string, unknown>;
/** The definition as stored: the schedules file's own shape (snake_case), without the name (the key). */
interface StoredDefinition {
  description: string;
  cron: string;
  time_zone: string;
  paused: boolean;
  job: { feature_service?: string; views?: string[]; incremental?: boolean; shard_size?: number };
}

const COLUMNS = 'name, definition, since, last_due_at, last_fired_at, last_job_id, last_due_runs, last_error, last_error_at, failures';
const LIST = `SELECT ${COLUMNS} FROM feature_job_schedules ORDER BY name COLLATE "C"`;

/**
 * Schedules and their runs in PostgreSQL (migration JobSchedules1764750000000), shared by every
 * batch-processor; `withLock` holds the scheduler's transaction-level advisory lock (taken without
 * waiting), so one instance at a time runs a scheduler tick. See the ScheduleRepository port.
 */
export class PostgresScheduleRepository implements ScheduleRepository {
  constructor(private readonly db: SourceDatabase) {}

  async list(): Promise<ScheduleRecord[]> {
    return (await this.db.query<Row>(LIST)).map(toRecord);
  }

  withLock<T>(work: (ledger: ScheduleLedger) => Promise<T>): Promise<LockOutcome<T>> {
    return withTryAdvisoryXactLock(this.db, JOB_SCHEDULER_LOCK_KEY, (query) => work(new PostgresScheduleLedger(query)));
  }
}

class PostgresScheduleLedger implements ScheduleLedger {
  constructor(private readonly query: SqlInTransaction) {}

  async list(): Promise<ScheduleRecord[]> {
    return (await this.query<Row>(LIST)).map(toRecord);
  }

  async define(definition: ScheduleDefinition, since: Date): Promise<void> {
    await this.query(
      `INSERT INTO feature_job_schedules (name, definition, since) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, since = EXCLUDED.since, updated_at = now()`,
      [definition.name, JSON.stringify(toStored(definition)), since],
    );
  }

  async remove(name: string): Promise<void> {
    await this.query('DELETE FROM feature_job_schedules WHERE name = $1', [name]);
  }

  async recordRun(name: string, run: ScheduleRun): Promise<void> {
    await this.query(
      `UPDATE feature_job_schedules SET last_due_at = $2, last_fired_at = $3, last_job_id = $4, last_due_runs = $5,
         last_error = NULL, last_error_at = NULL, failures = 0, updated_at = now() WHERE name = $1`,
      [name, run.dueAt, run.firedAt, run.jobId, run.dueRuns],
    );
  }

  async recordFailure(name: string, message: string, at: Date): Promise<void> {
    // Bounded: an error message is shown by the API, not kept as a log.
    await this.query('UPDATE feature_job_schedules SET last_error = $2, last_error_at = $3, failures = failures + 1, updated_at = now() WHERE name = $1', [name, message.slice(0, 2_000), at]);
  }
}

function toStored(d: ScheduleDefinition): StoredDefinition {
  const { featureService, views, incremental, shardSize } = d.job;
  return {
    description: d.description,
    cron: d.cron,
    time_zone: d.timeZone,
    paused: d.paused,
    job: {
      ...(featureService !== undefined ? { feature_service: featureService } : {}),
      ...(views !== undefined ? { views: [...views] } : {}),
      ...(incremental !== undefined ? { incremental } : {}),
      ...(shardSize !== undefined ? { shard_size: shardSize } : {}),
    },
  };
}

function toRecord(row: Row): ScheduleRecord {
  const stored = row.definition as StoredDefinition;
  const { feature_service: featureService, views, incremental, shard_size: shardSize } = stored.job;
  return {
    definition: {
      name: row.name as string,
      description: stored.description,
      cron: stored.cron,
      timeZone: stored.time_zone,
      paused: stored.paused,
      job: {
        ...(featureService !== undefined ? { featureService } : {}),
        ...(views !== undefined ? { views } : {}),
        ...(incremental !== undefined ? { incremental } : {}),
        ...(shardSize !== undefined ? { shardSize } : {}),
      },
    },
    since: row.since as Date,
    lastRun:
      row.last_due_at === null
        ? null
        : { dueAt: row.last_due_at as Date, firedAt: row.last_fired_at as Date, jobId: row.last_job_id as string, dueRuns: row.last_due_runs as number },
    lastError: row.last_error === null ? null : { message: row.last_error as string, at: row.last_error_at as Date, failures: row.failures as number },
  };
}
