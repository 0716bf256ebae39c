import type { JobRequest } from '@bnpl/batch';

/**
 * The materialization a scheduled run submits: the fields of `POST /v1/jobs` other than `kind`, which is
 * always `materialize` (the same body Cloud Scheduler posts in production, see deploy/terraform).
 */
export interface ScheduledJob {
  readonly featureService?: string;
  readonly views?: readonly string[];
  readonly incremental?: boolean;
  readonly shardSize?: number;
}

/** One schedule, validated (see `parseSchedules`). */
export interface ScheduleDefinition {
  /** Unique; also the Cloud Scheduler job's name. */
  readonly name: string;
  readonly description: string;
  /** Five-field cron expression, evaluated in `timeZone`. */
  readonly cron: string;
  /** IANA time zone. */
  readonly timeZone: string;
  /** A paused schedule submits nothing, and does not catch up the runs it missed while paused. */
  readonly paused: boolean;
  readonly job: ScheduledJob;
}

/** The job request each run submits. */
export function scheduledJobRequest(job: ScheduledJob): JobRequest {
  return { kind: 'materialize', ...job };
}

/** The run's job as the `POST /v1/jobs` body (snake_case, with `kind`): what the API shows and Cloud Scheduler posts. */
export function scheduledJobBody(job: ScheduledJob): Record<string, unknown> {
  return {
    kind: 'materialize',
    ...(job.featureService !== undefined ? { feature_service: job.featureService } : {}),
    ...(job.views !== undefined ? { views: [...job.views] } : {}),
    ...(job.incremental !== undefined ? { incremental: job.incremental } : {}),
    ...(job.shardSize !== undefined ? { shard_size: job.shardSize } : {}),
  };
}

/** Whether two definitions fire at different instants (cron, zone, pause): the catch-up baseline restarts then. */
export function timingChanged(a: ScheduleDefinition, b: ScheduleDefinition): boolean {
  return a.cron !== b.cron || a.timeZone !== b.timeZone || a.paused !== b.paused;
}

/** Whether two definitions differ at all. */
export function definitionChanged(a: ScheduleDefinition, b: ScheduleDefinition): boolean {
  return timingChanged(a, b) || a.description !== b.description || JSON.stringify(scheduledJobBody(a.job)) !== JSON.stringify(scheduledJobBody(b.job));
}
