// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureService as _bnpl_featurestore_v1_FeatureService, FeatureService__Output as _bnpl_featurestore_v1_FeatureService__Output } from '../../../bnpl/featurestore/v1/FeatureService';

/**
 * GetFeatureServiceResponse describes one feature service.
 */
export interface GetFeatureServiceResponse {
  /**
   * The feature service.
   */
  'feature_service'?: (_bnpl_featurestore_v1_FeatureService | null);
}

/**
 * GetFeatureServiceResponse describes one feature service.
 */
export interface GetFeatureServiceResponse__Output {
  /**
   * The feature service.
   */
  'feature_service': (_bnpl_featurestore_v1_FeatureService__Output | null);
}
