// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { ShardState as _bnpl_featurestore_v1_ShardState, ShardState__Output as _bnpl_featurestore_v1_ShardState__Output } from '../../../bnpl/featurestore/v1/ShardState';
import type { Long } from '@grpc/proto-loader';

/**
 * ShardProgress is how far one shard of a job has come.
 */
export interface ShardProgress {
  /**
   * The index of the shard, from 0.
   */
  'index'?: (number);
  /**
   * Runs of the shard started, this one included: from 1.
   */
  'attempt'?: (number);
  /**
   * Where the shard stands; never SHARD_STATE_UNSPECIFIED.
   */
  'state'?: (_bnpl_featurestore_v1_ShardState);
  /**
   * Rows written by the shard so far.
   */
  'rows_done'?: (number | string | Long);
}

/**
 * ShardProgress is how far one shard of a job has come.
 */
export interface ShardProgress__Output {
  /**
   * The index of the shard, from 0.
   */
  'index': (number);
  /**
   * Runs of the shard started, this one included: from 1.
   */
  'attempt': (number);
  /**
   * Where the shard stands; never SHARD_STATE_UNSPECIFIED.
   */
  'state': (_bnpl_featurestore_v1_ShardState__Output);
  /**
   * Rows written by the shard so far.
   */
  'rows_done': (string);
}
