// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { FeatureHistoryRow as _bnpl_featurestore_v1_FeatureHistoryRow, FeatureHistoryRow__Output as _bnpl_featurestore_v1_FeatureHistoryRow__Output } from '../../../bnpl/featurestore/v1/FeatureHistoryRow';

/**
 * FeatureHistory carries rows the streaming path recomputed, for the offline store's history.
 * Topic: bnpl.features.history.
 */
export interface FeatureHistory {
  /**
   * The feature view the rows belong to.
   */
  'feature_view'?: (string);
  /**
   * The rows: at least one.
   */
  'rows'?: (_bnpl_featurestore_v1_FeatureHistoryRow)[];
}

/**
 * FeatureHistory carries rows the streaming path recomputed, for the offline store's history.
 * Topic: bnpl.features.history.
 */
export interface FeatureHistory__Output {
  /**
   * The feature view the rows belong to.
   */
  'feature_view': (string);
  /**
   * The rows: at least one.
   */
  'rows': (_bnpl_featurestore_v1_FeatureHistoryRow__Output)[];
}
