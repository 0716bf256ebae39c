import { CronSchedule } from '../cron/cron-schedule';
import type { ScheduleRecord } from './schedule-repository.port';

/** More due instants than this are reported as this many: the run fires once whatever the count. */
const MAX_COUNTED = 10_000;

/** Instants up to this one are accounted for: the last fired run's, or the schedule's start. */
function baseline(record: ScheduleRecord): Date {
  const lastDue = record.lastRun?.dueAt;
  return lastDue && lastDue > record.since ? lastDue : record.since;
}

/**
 * The run a schedule owes at `now`, or null: the latest due instant after its baseline, standing for every
 * due instant since (one run catches up all those missed while no scheduler ran). Null when paused.
 */
export function dueRun(record: ScheduleRecord, now: Date): { readonly dueAt: Date; readonly dueRuns: number } | null {
  if (record.definition.paused) return null;
  const schedule = CronSchedule.parse(record.definition.cron, record.definition.timeZone);
  const from = baseline(record);
  const latest = schedule.latestAtOrBefore(now);
  if (!latest || latest <= from) return null;
  return { dueAt: latest, dueRuns: schedule.countBetween(from, latest, MAX_COUNTED) };
}

/**
 * The first due instant the scheduler has not fired: in the future normally, in the past while a run is
 * owed (no scheduler running, or submissions failing). Null when paused.
 */
export function nextDueAt(record: ScheduleRecord): Date | null {
  if (record.definition.paused) return null;
  return CronSchedule.parse(record.definition.cron, record.definition.timeZone).nextAfter(baseline(record));
}
