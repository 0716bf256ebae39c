import { z } from 'zod';
import { strictObject } from '../http/values.schema';

/** A schedule as `GET /v1/schedules` shows it. */
export const scheduleSchema = strictObject({
  name: z.string().describe('Unique; also the name of the Cloud Scheduler job that runs it in production.'),
  description: z.string(),
  cron: z.string().describe('Five fields: minute hour day-of-month month day-of-week.'),
  time_zone: z.string().describe('IANA time zone the cron expression is read in.'),
  paused: z.boolean(),
  job: strictObject({
    kind: z.literal('materialize'),
    feature_service: z.string().optional(),
    views: z.array(z.string()).optional(),
    incremental: z.boolean().optional(),
    shard_size: z.number().int().optional(),
  }).describe('The POST /v1/jobs body each run submits.'),
  since: z.string().describe('When the schedule was defined or its timing last changed: no run before it is owed.'),
  next_due_at: z.string().nullable().describe('The first due instant not fired yet; in the past while a run is owed. Null when paused.'),
  late: z.boolean().describe('A run has been owed for over a minute: no batch-processor runs the schedules (JOB_SCHEDULES_FILE), or its submissions fail (see last_error).'),
  last_run: strictObject({
    due_at: z.string().describe('The due instant the run stands for.'),
    fired_at: z.string(),
    job_id: z.string().describe('The job it submitted (GET /v1/jobs/{id}).'),
    due_runs: z.number().int().describe('Due instants it stood for: 1 on time, more when it caught up runs missed while no scheduler ran.'),
  }).nullable(),
  last_error: strictObject({
    message: z.string(),
    at: z.string(),
    failures: z.number().int().describe('Failed submissions in a row; retried with backoff.'),
  })
    .nullable()
    .describe('The last failure to submit a due run, until a run succeeds.'),
});

export const scheduleListSchema = strictObject({ schedules: z.array(scheduleSchema) });
