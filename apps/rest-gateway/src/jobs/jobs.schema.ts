import { z } from 'zod';
import { strictObject } from '../http/values.schema';

/** The body of `POST /v1/jobs`: the one schema that validates it and that the OpenAPI document shows. */
export const createJobRequestSchema = strictObject({
  kind: z
    .enum(['materialize', 'backfill', 'historical'])
    .describe(
      'materialize: values as of now into the online and offline stores. backfill: end-of-day values of past days into the offline store, from what the source can tell about them (see the catalog\'s backfill column). historical: a point-in-time-correct training set from the offline store.',
    ),
  views: z.array(z.string()).describe('Stored feature views; default: every view of `feature_service`, else every stored view.').optional(),
  feature_service: z.string().min(1).describe("A feature service's stored views.").optional(),
  incremental: z.boolean().describe('materialize only: only entities the stream\'s change log records as changed since the views were last materialized.').optional(),
  from: z.string().describe('backfill only: the first day, YYYY-MM-DD (UTC).').optional(),
  to: z.string().describe('backfill only: the last day, YYYY-MM-DD (UTC), before today.').optional(),
  shard_size: z.number().int().describe('Entities per shard, the unit of work one batch-processor instance takes (default 50,000; at least JOBS_MIN_SHARD_SIZE, 1,000 by default).').optional(),
  entity_file: z.string().describe('historical: CSV or Parquet of entity rows (join keys, `event_timestamp` with its offset, optional labels), a path relative to the job files root (JOB_FILES_ROOT); no `..`, no link leading out of it.').optional(),
  output_file: z.string().describe('historical: where the training set is written: a path relative to the job files root, or `gs://bucket/path-*.parquet` in a bucket of JOB_FILES_GCS_BUCKETS (BigQuery offline store).').optional(),
  overwrite: z.boolean().describe('historical: replace `output_file` if it exists (default: an existing output is refused, 400 JOB_FILE_REFUSED).').optional(),
  output_format: z.enum(['parquet', 'csv']).describe('historical: default from the output file extension, else parquet.').optional(),
  features: z.array(z.string()).describe('historical: `view:feature` references (or `feature_service`).').optional(),
}).describe('A batch job.');

export type CreateJobRequest = z.output<typeof createJobRequestSchema>;

const jobState = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);

/** A job as the API returns it. */
export const jobSchema = strictObject({
  id: z.string().describe('The job id (a UUID).'),
  idempotency_key: z.string().nullable().describe('The Idempotency-Key it was submitted with.'),
  principal: z.string().describe('Who submitted it (an API key\'s owner, a token\'s subject; `anonymous` with access control off, `system` for scheduled jobs): quotas and fair scheduling count per principal.'),
  kind: z.enum(['materialize', 'backfill', 'historical']),
  state: jobState,
  views: z.array(z.string()),
  incremental: z.boolean(),
  from: z.string().nullable().describe('backfill: the first day.'),
  to: z.string().nullable().describe('backfill: the last day.'),
  shard_size: z.number().int(),
  training_set: strictObject({
    entity_file: z.string(),
    output_file: z.string(),
    overwrite: z.boolean(),
    output_format: z.enum(['parquet', 'csv']),
    features: z.array(z.string()).nullable(),
    feature_service: z.string().nullable(),
  })
    .nullable()
    .describe('historical jobs: the training set asked for.'),
  shards_total: z.number().int(),
  shards_done: z.number().int(),
  rows_done: z.number().int().describe('Rows (entity x view) written so far.'),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});

export const jobShardSchema = strictObject({
  no: z.number().int(),
  entity: z.string(),
  views: z.array(z.string()),
  from_id: z.string(),
  to_id: z.string(),
  as_of: z.string(),
  changed_since: z.string().nullable(),
  state: z.enum(['pending', 'running', 'done', 'failed']),
  checkpoint_id: z.string().nullable().describe('Every id up to this one is written; a restarted shard resumes after it.'),
  rows_done: z.number().int(),
  attempts: z.number().int(),
  queued_at: z.string().nullable().describe('When the shard was last handed to the batch processors (null: it waits for room in its job\'s window).'),
  deliveries: z.number().int().describe('Times it was handed out: more than once when a message was lost or a runner died.'),
  error: z.string().nullable(),
});

export const jobEnvelopeSchema = strictObject({ job: jobSchema });
export const jobDetailSchema = strictObject({ job: jobSchema, shards: z.array(jobShardSchema) });
export const jobListSchema = strictObject({ jobs: z.array(jobSchema) });
export const jobStateSchema = jobState;
