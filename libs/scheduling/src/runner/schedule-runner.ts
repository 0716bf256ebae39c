import type { JobRequest } from '@bnpl/batch';
import { CronSchedule } from '../cron/cron-schedule';
import { definitionChanged, scheduledJobRequest, timingChanged, type ScheduleDefinition } from '../schedules/schedule-definition';
import { dueRun } from './due-runs';
import type { ScheduleLedger, ScheduleRecord, ScheduleRepository } from './schedule-repository.port';

/**
 * Submits a job (JobService fits). With an idempotency key, a second submission with the same key answers
 * the job the first one created instead of creating another.
 */
export interface JobSubmitter {
  submit(request: JobRequest, options?: { readonly idempotencyKey?: string }): Promise<{ readonly id: string }>;
}

/** The idempotency key of a schedule's run: one job per schedule and due instant, whoever submits it. */
export function scheduledRunKey(name: string, dueAt: Date): string {
  return `schedule:${name}@${Math.floor(dueAt.getTime() / 1000)}`;
}

export interface ScheduleRunnerDeps {
  /** This instance's schedules (validated); they replace the stored ones at every tick. */
  readonly schedules: readonly ScheduleDefinition[];
  readonly repository: ScheduleRepository;
  readonly jobs: JobSubmitter;
  readonly clock?: () => Date;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

export interface ScheduleRunnerOptions {
  /** Longest wait between ticks, ms (default 30 s): how late a run fires when an instance's own wake-up was taken by another. */
  readonly pollMs?: number;
  /** Wait before retrying a run whose submission failed, ms, doubling per failure (default 60 s, at most `maxRetryMs`, 15 min). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

export interface TickResult {
  /** `busy`: another instance held the lock, and this tick did nothing. */
  readonly lock: 'acquired' | 'busy';
  readonly fired: ReadonlyArray<{ readonly name: string; readonly jobId: string; readonly dueAt: Date; readonly dueRuns: number }>;
  readonly failed: ReadonlyArray<{ readonly name: string; readonly message: string }>;
}

/** Waits are at least this long, so that a run due now is not polled for in a tight loop. */
const MIN_WAIT_MS = 200;
/** Woken this long after a due instant, so that the instant is in the past on every instance's clock. */
const WAKE_GRACE_MS = 100;

/**
 * Fires scheduled jobs. Every batch-processor instance configured with schedules runs one; each tick takes
 * the repository's lock without waiting (an advisory lock in PostgreSQL), so ticks of different instances
 * never overlap and the second one finds the run already recorded: exactly one instance fires each run.
 *
 * A tick stores this instance's definitions, then, for each schedule, fires the run it owes (see
 * `dueRun`): once, for the latest due instant, however many were missed while no instance ran (catch-up).
 * The job is submitted before the run is recorded, in the lock's transaction, under an idempotency key of
 * the schedule and due instant: should the process die between the two, the next tick submits the run
 * again and gets the job the first submission created, so each run is one job. A failed submission is
 * recorded on the schedule and retried with backoff.
 */
export class ScheduleRunner {
  readonly #clock: () => Date;
  readonly #pollMs: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #crons: ReadonlyMap<string, CronSchedule>;
  #timer?: NodeJS.Timeout;
  #current?: Promise<void>;
  #stopped = true;

  constructor(
    private readonly deps: ScheduleRunnerDeps,
    options: ScheduleRunnerOptions = {},
  ) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#pollMs = options.pollMs ?? 30_000;
    this.#retryMs = options.retryMs ?? 60_000;
    this.#maxRetryMs = options.maxRetryMs ?? 900_000;
    this.#crons = new Map(deps.schedules.map((s) => [s.name, CronSchedule.parse(s.cron, s.timeZone)]));
  }

  /** One pass: store the definitions and fire what is due. Rejects when the repository cannot be reached. */
  async tick(): Promise<TickResult> {
    const now = this.#clock();
    const outcome = await this.deps.repository.withLock(async (ledger) => {
      const records = await this.#sync(ledger, now);
      const fired: Array<TickResult['fired'][number]> = [];
      const failed: Array<TickResult['failed'][number]> = [];
      for (const record of records) {
        const due = dueRun(record, now);
        if (!due || this.#backingOff(record, now)) continue;
        const { name, job } = record.definition;
        try {
          const submitted = await this.deps.jobs.submit(scheduledJobRequest(job), { idempotencyKey: scheduledRunKey(name, due.dueAt) });
          await ledger.recordRun(name, { dueAt: due.dueAt, firedAt: now, jobId: submitted.id, dueRuns: due.dueRuns });
          fired.push({ name, jobId: submitted.id, dueAt: due.dueAt, dueRuns: due.dueRuns });
          const caughtUp = due.dueRuns > 1 ? `, catching up ${due.dueRuns} due runs missed while no scheduler ran` : '';
          this.deps.logger?.log(`Schedule ${name}: submitted job ${submitted.id} for the run due at ${due.dueAt.toISOString()}${caughtUp}`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await ledger.recordFailure(name, message, now);
          failed.push({ name, message });
          this.deps.logger?.warn(`Schedule ${name}: the run due at ${due.dueAt.toISOString()} could not be submitted (${message}); it will be retried`);
        }
      }
      return { fired, failed };
    });
    return outcome.acquired ? { lock: 'acquired', ...outcome.value } : { lock: 'busy', fired: [], failed: [] };
  }

  /** Ticks now, then whenever a schedule is due, and at least every `pollMs`. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops ticking; resolves when a tick in progress has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#current;
  }

  /** How long to wait after a tick at `now`: until the next due instant of any schedule, within [MIN_WAIT_MS, pollMs]. */
  waitAfter(now: Date): number {
    let wait = this.#pollMs;
    for (const definition of this.deps.schedules) {
      if (definition.paused) continue;
      const next = this.#crons.get(definition.name)?.nextAfter(now);
      if (next) wait = Math.min(wait, next.getTime() - now.getTime() + WAKE_GRACE_MS);
    }
    return Math.max(MIN_WAIT_MS, wait);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#current = this.tick()
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger?.warn(`Scheduler tick failed (${error instanceof Error ? error.message : String(error)}); retrying`),
        )
        .finally(() => this.#schedule(this.waitAfter(this.#clock())));
    }, delayMs);
    // A pending tick never keeps the process alive on its own.
    this.#timer.unref();
  }

  /** Stores this instance's definitions: new ones start now, changed timing restarts the catch-up baseline. */
  async #sync(ledger: ScheduleLedger, now: Date): Promise<ScheduleRecord[]> {
    const stored = new Map((await ledger.list()).map((r) => [r.definition.name, r]));
    for (const definition of this.deps.schedules) {
      const record = stored.get(definition.name);
      if (!record || timingChanged(record.definition, definition)) await ledger.define(definition, now);
      else if (definitionChanged(record.definition, definition)) await ledger.define(definition, record.since);
      stored.delete(definition.name);
    }
    for (const name of stored.keys()) await ledger.remove(name);
    return ledger.list();
  }

  #backingOff(record: ScheduleRecord, now: Date): boolean {
    const error = record.lastError;
    if (!error) return false;
    const wait = Math.min(this.#maxRetryMs, this.#retryMs * 2 ** Math.min(error.failures - 1, 20));
    return now.getTime() < error.at.getTime() + wait;
  }
}
