import { nextDueAt, scheduledJobBody, type ScheduleRecord } from '@bnpl/scheduling';
import type { z } from 'zod';
import type { scheduleSchema } from './schedules.schema';

/** A run owed longer than this is late (the scheduler wakes at each due instant, and polls every 30 s). */
const LATE_AFTER_MS = 60_000;

export function toScheduleView(record: ScheduleRecord, now: Date): z.input<typeof scheduleSchema> {
  const { definition: d, lastRun, lastError } = record;
  const next = nextDueAt(record);
  return {
    name: d.name,
    description: d.description,
    cron: d.cron,
    time_zone: d.timeZone,
    paused: d.paused,
    job: scheduledJobBody(d.job) as z.input<typeof scheduleSchema>['job'],
    since: record.since.toISOString(),
    next_due_at: next?.toISOString() ?? null,
    late: next !== null && now.getTime() - next.getTime() > LATE_AFTER_MS,
    last_run: lastRun ? { due_at: lastRun.dueAt.toISOString(), fired_at: lastRun.firedAt.toISOString(), job_id: lastRun.jobId, due_runs: lastRun.dueRuns } : null,
    last_error: lastError ? { message: lastError.message, at: lastError.at.toISOString(), failures: lastError.failures } : null,
  };
}
