import type { ScheduleDefinition } from '../schedules/schedule-definition';

/** A run the scheduler fired. */
export interface ScheduleRun {
  /** The due instant the run stands for (the latest one when it caught up several). */
  readonly dueAt: Date;
  readonly firedAt: Date;
  /** The job it submitted. */
  readonly jobId: string;
  /** Due instants it stood for: 1 on time, more when it caught up runs missed while no scheduler ran. */
  readonly dueRuns: number;
}

/** A schedule as stored: its definition and what the scheduler did with it. */
export interface ScheduleRecord {
  readonly definition: ScheduleDefinition;
  /**
   * Runs are due only after this instant: when the schedule was first defined, or its timing (cron, time
   * zone, pause) last changed. A new or resumed schedule does not catch up runs from before it existed.
   */
  readonly since: Date;
  readonly lastRun: ScheduleRun | null;
  /** The last failure to submit a due run (cleared by the next run), and how many in a row. */
  readonly lastError: { readonly message: string; readonly at: Date; readonly failures: number } | null;
}

/** What the scheduler may do while it holds the lock: every call is part of one transaction. */
export interface ScheduleLedger {
  /** Every stored schedule, by name. */
  list(): Promise<ScheduleRecord[]>;
  /** Stores a definition: inserts it with `since`, or replaces the stored one and its `since` (its runs are kept). */
  define(definition: ScheduleDefinition, since: Date): Promise<void>;
  /** Forgets a schedule and its runs. */
  remove(name: string): Promise<void>;
  /** Records a fired run and clears the schedule's error. */
  recordRun(name: string, run: ScheduleRun): Promise<void>;
  /** Records a failure to submit a due run (the run stays due). */
  recordFailure(name: string, message: string, at: Date): Promise<void>;
}

export type LockOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * Where schedules and their runs are kept, shared by every scheduler instance.
 *
 * Contract: `withLock` runs `work` while holding one lock shared by every instance (in PostgreSQL, an
 * advisory lock), inside one transaction; it never waits for the lock: when another instance holds it, it
 * resolves `{ acquired: false }` without running `work`. What `work` records is committed when it resolves
 * and rolled back when it rejects (the rejection is passed on). `list` reads without the lock.
 */
export interface ScheduleRepository {
  list(): Promise<ScheduleRecord[]>;
  withLock<T>(work: (ledger: ScheduleLedger) => Promise<T>): Promise<LockOutcome<T>>;
}
