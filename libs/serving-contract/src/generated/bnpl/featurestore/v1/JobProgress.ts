// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { JobState as _bnpl_featurestore_v1_JobState, JobState__Output as _bnpl_featurestore_v1_JobState__Output } from '../../../bnpl/featurestore/v1/JobState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { ShardProgress as _bnpl_featurestore_v1_ShardProgress, ShardProgress__Output as _bnpl_featurestore_v1_ShardProgress__Output } from '../../../bnpl/featurestore/v1/ShardProgress';
import type { Long } from '@grpc/proto-loader';

/**
 * JobProgress reports where a job stands, for the jobs API and the CLI's progress bars.
 * Topic: bnpl.jobs.progress.
 */
export interface JobProgress {
  /**
   * The job's id.
   */
  'job_id'?: (string);
  /**
   * Where the job stands; never JOB_STATE_UNSPECIFIED.
   */
  'state'?: (_bnpl_featurestore_v1_JobState);
  /**
   * How many shards the job has: 0 until they are planned.
   */
  'shards_total'?: (number);
  /**
   * How many of them are done: at most shards_total.
   */
  'shards_done'?: (number);
  /**
   * Rows (entity x view) written so far, over every shard.
   */
  'rows_done'?: (number | string | Long);
  /**
   * Why the job failed: set exactly when state is JOB_STATE_FAILED.
   */
  'error'?: (string);
  /**
   * When this report was taken.
   */
  'report_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The shard whose change this report follows; unset when the change is the job's own (planned,
   * cancelled).
   */
  'shard'?: (_bnpl_featurestore_v1_ShardProgress | null);
}

/**
 * JobProgress reports where a job stands, for the jobs API and the CLI's progress bars.
 * Topic: bnpl.jobs.progress.
 */
export interface JobProgress__Output {
  /**
   * The job's id.
   */
  'job_id': (string);
  /**
   * Where the job stands; never JOB_STATE_UNSPECIFIED.
   */
  'state': (_bnpl_featurestore_v1_JobState__Output);
  /**
   * How many shards the job has: 0 until they are planned.
   */
  'shards_total': (number);
  /**
   * How many of them are done: at most shards_total.
   */
  'shards_done': (number);
  /**
   * Rows (entity x view) written so far, over every shard.
   */
  'rows_done': (string);
  /**
   * Why the job failed: set exactly when state is JOB_STATE_FAILED.
   */
  'error': (string);
  /**
   * When this report was taken.
   */
  'report_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The shard whose change this report follows; unset when the change is the job's own (planned,
   * cancelled).
   */
  'shard': (_bnpl_featurestore_v1_ShardProgress__Output | null);
}
