// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { EntityKey as _bnpl_featurestore_v1_EntityKey, EntityKey__Output as _bnpl_featurestore_v1_EntityKey__Output } from '../../../bnpl/featurestore/v1/EntityKey';

/**
 * EntityRow is the keys of one row of the answer.
 */
export interface EntityRow {
  /**
   * The keys of this row, each join key at most once.
   */
  'keys'?: (_bnpl_featurestore_v1_EntityKey)[];
}

/**
 * EntityRow is the keys of one row of the answer.
 */
export interface EntityRow__Output {
  /**
   * The keys of this row, each join key at most once.
   */
  'keys': (_bnpl_featurestore_v1_EntityKey__Output)[];
}
