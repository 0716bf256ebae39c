// Original file: proto/bnpl/featurestore/v1/messaging.proto

/**
 * JobState is where a job stands.
 */
export const JobState = {
  /**
   * JOB_STATE_UNSPECIFIED is never sent.
   */
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  /**
   * JOB_STATE_PENDING means the job is accepted and its shards are not planned yet.
   */
  JOB_STATE_PENDING: 'JOB_STATE_PENDING',
  /**
   * JOB_STATE_RUNNING means the job's shards are published and some are not done.
   */
  JOB_STATE_RUNNING: 'JOB_STATE_RUNNING',
  /**
   * JOB_STATE_SUCCEEDED means every shard is done.
   */
  JOB_STATE_SUCCEEDED: 'JOB_STATE_SUCCEEDED',
  /**
   * JOB_STATE_FAILED means a shard failed on an error it will not retry by itself.
   */
  JOB_STATE_FAILED: 'JOB_STATE_FAILED',
  /**
   * JOB_STATE_CANCELLED means an operator cancelled the job.
   */
  JOB_STATE_CANCELLED: 'JOB_STATE_CANCELLED',
} as const;

/**
 * JobState is where a job stands.
 */
export type JobState =
  /**
   * JOB_STATE_UNSPECIFIED is never sent.
   */
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  /**
   * JOB_STATE_PENDING means the job is accepted and its shards are not planned yet.
   */
  | 'JOB_STATE_PENDING'
  | 1
  /**
   * JOB_STATE_RUNNING means the job's shards are published and some are not done.
   */
  | 'JOB_STATE_RUNNING'
  | 2
  /**
   * JOB_STATE_SUCCEEDED means every shard is done.
   */
  | 'JOB_STATE_SUCCEEDED'
  | 3
  /**
   * JOB_STATE_FAILED means a shard failed on an error it will not retry by itself.
   */
  | 'JOB_STATE_FAILED'
  | 4
  /**
   * JOB_STATE_CANCELLED means an operator cancelled the job.
   */
  | 'JOB_STATE_CANCELLED'
  | 5

/**
 * JobState is where a job stands.
 */
export type JobState__Output = typeof JobState[keyof typeof JobState]
