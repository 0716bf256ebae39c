// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { Long } from '@grpc/proto-loader';

/**
 * EntityIdRange is the range of one entity's ids, both ends included, that one shard of a job covers.
 */
export interface EntityIdRange {
  /**
   * The first id of the range: 1 or more.
   */
  'first_id'?: (number | string | Long);
  /**
   * The last id of the range: first_id or more.
   */
  'last_id'?: (number | string | Long);
}

/**
 * EntityIdRange is the range of one entity's ids, both ends included, that one shard of a job covers.
 */
export interface EntityIdRange__Output {
  /**
   * The first id of the range: 1 or more.
   */
  'first_id': (string);
  /**
   * The last id of the range: first_id or more.
   */
  'last_id': (string);
}
