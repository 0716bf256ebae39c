// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { Entity as _bnpl_featurestore_v1_Entity, Entity__Output as _bnpl_featurestore_v1_Entity__Output } from '../../../bnpl/featurestore/v1/Entity';
import type { FeatureView as _bnpl_featurestore_v1_FeatureView, FeatureView__Output as _bnpl_featurestore_v1_FeatureView__Output } from '../../../bnpl/featurestore/v1/FeatureView';
import type { FeatureService as _bnpl_featurestore_v1_FeatureService, FeatureService__Output as _bnpl_featurestore_v1_FeatureService__Output } from '../../../bnpl/featurestore/v1/FeatureService';

/**
 * GetCatalogResponse is the whole catalog.
 */
export interface GetCatalogResponse {
  /**
   * The entities features describe.
   */
  'entities'?: (_bnpl_featurestore_v1_Entity)[];
  /**
   * Every feature view: stored views first, then request-time views.
   */
  'feature_views'?: (_bnpl_featurestore_v1_FeatureView)[];
  /**
   * Every feature service.
   */
  'feature_services'?: (_bnpl_featurestore_v1_FeatureService)[];
}

/**
 * GetCatalogResponse is the whole catalog.
 */
export interface GetCatalogResponse__Output {
  /**
   * The entities features describe.
   */
  'entities': (_bnpl_featurestore_v1_Entity__Output)[];
  /**
   * Every feature view: stored views first, then request-time views.
   */
  'feature_views': (_bnpl_featurestore_v1_FeatureView__Output)[];
  /**
   * Every feature service.
   */
  'feature_services': (_bnpl_featurestore_v1_FeatureService__Output)[];
}
