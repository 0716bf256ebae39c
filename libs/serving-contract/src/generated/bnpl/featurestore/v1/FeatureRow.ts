// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureResult as _bnpl_featurestore_v1_FeatureResult, FeatureResult__Output as _bnpl_featurestore_v1_FeatureResult__Output } from '../../../bnpl/featurestore/v1/FeatureResult';

/**
 * FeatureRow is the values for one entity row, in the order of feature_names.
 */
export interface FeatureRow {
  /**
   * One value per feature name.
   */
  'values'?: (_bnpl_featurestore_v1_FeatureResult)[];
}

/**
 * FeatureRow is the values for one entity row, in the order of feature_names.
 */
export interface FeatureRow__Output {
  /**
   * One value per feature name.
   */
  'values': (_bnpl_featurestore_v1_FeatureResult__Output)[];
}
