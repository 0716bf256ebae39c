// Original file: proto/bnpl/featurestore/v1/messaging.proto

/**
 * ShardState is where one shard of a job stands.
 */
export const ShardState = {
  /**
   * SHARD_STATE_UNSPECIFIED is never sent.
   */
  SHARD_STATE_UNSPECIFIED: 'SHARD_STATE_UNSPECIFIED',
  /**
   * SHARD_STATE_PENDING means no processor has started the shard.
   */
  SHARD_STATE_PENDING: 'SHARD_STATE_PENDING',
  /**
   * SHARD_STATE_RUNNING means a processor is working on the shard.
   */
  SHARD_STATE_RUNNING: 'SHARD_STATE_RUNNING',
  /**
   * SHARD_STATE_DONE means every row of the shard is written.
   */
  SHARD_STATE_DONE: 'SHARD_STATE_DONE',
  /**
   * SHARD_STATE_FAILED means the shard stopped on an error.
   */
  SHARD_STATE_FAILED: 'SHARD_STATE_FAILED',
} as const;

/**
 * ShardState is where one shard of a job stands.
 */
export type ShardState =
  /**
   * SHARD_STATE_UNSPECIFIED is never sent.
   */
  | 'SHARD_STATE_UNSPECIFIED'
  | 0
  /**
   * SHARD_STATE_PENDING means no processor has started the shard.
   */
  | 'SHARD_STATE_PENDING'
  | 1
  /**
   * SHARD_STATE_RUNNING means a processor is working on the shard.
   */
  | 'SHARD_STATE_RUNNING'
  | 2
  /**
   * SHARD_STATE_DONE means every row of the shard is written.
   */
  | 'SHARD_STATE_DONE'
  | 3
  /**
   * SHARD_STATE_FAILED means the shard stopped on an error.
   */
  | 'SHARD_STATE_FAILED'
  | 4

/**
 * ShardState is where one shard of a job stands.
 */
export type ShardState__Output = typeof ShardState[keyof typeof ShardState]
