// Public API of @bnpl/scheduling: scheduled jobs. Five-field cron expressions in IANA time zones (evaluated
// with the runtime's own tz database), the schedules file's validation, and the ScheduleRunner that fires
// each due run exactly once across instances, catching up missed runs once, over the ScheduleRepository
// port (its lock is PostgreSQL's advisory lock in @bnpl/postgres). No I/O, no framework.
export { CronExpression, type WallTime } from './cron/cron-expression';
export { CronSchedule } from './cron/cron-schedule';
export { TimeZone } from './cron/time-zone';
export { InvalidScheduleError } from './errors/invalid-schedule.error';
export { definitionChanged, scheduledJobBody, scheduledJobRequest, timingChanged, type ScheduleDefinition, type ScheduledJob } from './schedules/schedule-definition';
export { parseSchedules } from './schedules/parse-schedules';
export type { LockOutcome, ScheduleLedger, ScheduleRecord, ScheduleRepository, ScheduleRun } from './runner/schedule-repository.port';
export { InMemoryScheduleRepository } from './runner/in-memory-schedule.repository';
export { dueRun, nextDueAt } from './runner/due-runs';
export { ScheduleRunner, scheduledRunKey, type JobSubmitter, type ScheduleRunnerDeps, type ScheduleRunnerOptions, type TickResult } from './runner/schedule-runner';
export { describeScheduleRepositoryContract, type ScheduleRepositoryContractSubject } from './runner/schedule-repository.contract';
