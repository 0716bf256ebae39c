// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureRow as _bnpl_featurestore_v1_FeatureRow, FeatureRow__Output as _bnpl_featurestore_v1_FeatureRow__Output } from '../../../bnpl/featurestore/v1/FeatureRow';

/**
 * GetOnlineFeaturesResponse holds one row per requested entity row, in request order.
 */
export interface GetOnlineFeaturesResponse {
  /**
   * The full names ("view:feature") of the returned features, in column order, "view:*" expanded.
   */
  'feature_names'?: (string)[];
  /**
   * One row per requested entity row, in request order.
   */
  'rows'?: (_bnpl_featurestore_v1_FeatureRow)[];
}

/**
 * GetOnlineFeaturesResponse holds one row per requested entity row, in request order.
 */
export interface GetOnlineFeaturesResponse__Output {
  /**
   * The full names ("view:feature") of the returned features, in column order, "view:*" expanded.
   */
  'feature_names': (string)[];
  /**
   * One row per requested entity row, in request order.
   */
  'rows': (_bnpl_featurestore_v1_FeatureRow__Output)[];
}
