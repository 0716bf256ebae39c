// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { JobKind as _bnpl_featurestore_v1_JobKind, JobKind__Output as _bnpl_featurestore_v1_JobKind__Output } from '../../../bnpl/featurestore/v1/JobKind';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { EntityIdRange as _bnpl_featurestore_v1_EntityIdRange, EntityIdRange__Output as _bnpl_featurestore_v1_EntityIdRange__Output } from '../../../bnpl/featurestore/v1/EntityIdRange';

/**
 * JobRequest asks the batch processors to run one shard of a job. Topic: bnpl.jobs.requests.
 */
export interface JobRequest {
  /**
   * The job's id, as the jobs API returned it.
   */
  'job_id'?: (string);
  /**
   * What the job computes; never JOB_KIND_UNSPECIFIED.
   */
  'kind'?: (_bnpl_featurestore_v1_JobKind);
  /**
   * The entity whose ids the shard covers, as the catalog names it: customer or merchant.
   */
  'entity'?: (string);
  /**
   * The feature views to compute, all of that entity: at least one.
   */
  'feature_views'?: (string)[];
  /**
   * The instant the views are computed as of, fixed when the job was planned so that every shard agrees.
   */
  'as_of'?: (_google_protobuf_Timestamp | null);
  /**
   * The start of the time range, inclusive: for an incremental materialization, the source changes since
   * then; for a backfill, the first day. Unset when the kind needs no range.
   */
  'start_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The end of the time range, exclusive: set exactly when start_time is, and later than it.
   */
  'end_time'?: (_google_protobuf_Timestamp | null);
  /**
   * The index of this shard in the job, from 0.
   */
  'shard_index'?: (number);
  /**
   * How many shards the job has: more than shard_index.
   */
  'shard_count'?: (number);
  /**
   * The entity ids this shard covers.
   */
  'entity_ids'?: (_bnpl_featurestore_v1_EntityIdRange | null);
  /**
   * The run of the job this request belongs to, from 1. A redelivered message keeps its attempt; a job
   * retried by an operator is published again with the next one.
   */
  'attempt'?: (number);
}

/**
 * JobRequest asks the batch processors to run one shard of a job. Topic: bnpl.jobs.requests.
 */
export interface JobRequest__Output {
  /**
   * The job's id, as the jobs API returned it.
   */
  'job_id': (string);
  /**
   * What the job computes; never JOB_KIND_UNSPECIFIED.
   */
  'kind': (_bnpl_featurestore_v1_JobKind__Output);
  /**
   * The entity whose ids the shard covers, as the catalog names it: customer or merchant.
   */
  'entity': (string);
  /**
   * The feature views to compute, all of that entity: at least one.
   */
  'feature_views': (string)[];
  /**
   * The instant the views are computed as of, fixed when the job was planned so that every shard agrees.
   */
  'as_of': (_google_protobuf_Timestamp__Output | null);
  /**
   * The start of the time range, inclusive: for an incremental materialization, the source changes since
   * then; for a backfill, the first day. Unset when the kind needs no range.
   */
  'start_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The end of the time range, exclusive: set exactly when start_time is, and later than it.
   */
  'end_time': (_google_protobuf_Timestamp__Output | null);
  /**
   * The index of this shard in the job, from 0.
   */
  'shard_index': (number);
  /**
   * How many shards the job has: more than shard_index.
   */
  'shard_count': (number);
  /**
   * The entity ids this shard covers.
   */
  'entity_ids': (_bnpl_featurestore_v1_EntityIdRange__Output | null);
  /**
   * The run of the job this request belongs to, from 1. A redelivered message keeps its attempt; a job
   * retried by an operator is published again with the next one.
   */
  'attempt': (number);
}
