import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MIN_SHARD_SIZE } from '@bnpl/batch';
import { env } from '@bnpl/platform';
import type { JobsModuleOptions } from './jobs.module';

const BUCKETS = /^([a-z0-9][a-z0-9._-]{1,220})(,[a-z0-9][a-z0-9._-]{1,220})*$/;

/** The variables of an app that submits or runs jobs (rest-gateway, batch-processor): files and quotas. */
export const jobsEnvSchema = z.object({
  /**
   * The job files root: training-set entity files are read from, and outputs written under, this
   * directory (relative paths resolve against the working directory). rest-gateway checks submissions
   * against its own view of it: give both the same directory (a shared volume).
   */
  JOB_FILES_ROOT: z.string().min(1).default('.data/job-files'),
  /** Buckets a training set may be exported to as `gs://bucket/...*` (a BigQuery offline store), comma-separated; empty: none. */
  JOB_FILES_GCS_BUCKETS: z.union([z.literal(''), z.string().regex(BUCKETS, 'must be bucket names separated by commas')]).default(''),
  /** Jobs pending or running per principal at most; a submission beyond is answered 429 with Retry-After. */
  JOBS_MAX_IN_FLIGHT_PER_PRINCIPAL: env.positiveInt(4),
  /** The smallest `shard_size` a submission may ask for (400 below it). */
  JOBS_MIN_SHARD_SIZE: env.positiveInt(DEFAULT_MIN_SHARD_SIZE),
  /** Shards queued and not yet started over all jobs at most, filled in turns between principals and their jobs. */
  JOB_QUEUED_SHARDS_TOTAL: env.positiveInt(32),
});
export type JobsEnv = z.infer<typeof jobsEnvSchema>;

/** JobsModule's files and the service's quotas from an app's environment. */
export function toJobsModuleOptions(config: JobsEnv): Required<Pick<JobsModuleOptions, 'files'>> & { service: NonNullable<JobsModuleOptions['service']> } {
  return {
    files: { localRoot: resolve(config.JOB_FILES_ROOT), gcsBuckets: config.JOB_FILES_GCS_BUCKETS === '' ? [] : config.JOB_FILES_GCS_BUCKETS.split(',') },
    service: { minShardSize: config.JOBS_MIN_SHARD_SIZE, maxJobsInFlightPerPrincipal: config.JOBS_MAX_IN_FLIGHT_PER_PRINCIPAL, queuedShardsTotal: config.JOB_QUEUED_SHARDS_TOTAL },
  };
}
