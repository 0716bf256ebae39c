// Original file: proto/bnpl/featurestore/v1/serving.proto

/**
 * FeatureViewKind says how a feature view's values come to be.
 */
export const FeatureViewKind = {
  /**
   * FEATURE_VIEW_KIND_UNSPECIFIED is never sent.
   */
  FEATURE_VIEW_KIND_UNSPECIFIED: 'FEATURE_VIEW_KIND_UNSPECIFIED',
  /**
   * FEATURE_VIEW_KIND_STORED views are materialized per entity and served from the online store.
   */
  FEATURE_VIEW_KIND_STORED: 'FEATURE_VIEW_KIND_STORED',
  /**
   * FEATURE_VIEW_KIND_REQUEST views are computed at request time from request_context (and stored
   * features); they are never stored.
   */
  FEATURE_VIEW_KIND_REQUEST: 'FEATURE_VIEW_KIND_REQUEST',
} as const;

/**
 * FeatureViewKind says how a feature view's values come to be.
 */
export type FeatureViewKind =
  /**
   * FEATURE_VIEW_KIND_UNSPECIFIED is never sent.
   */
  | 'FEATURE_VIEW_KIND_UNSPECIFIED'
  | 0
  /**
   * FEATURE_VIEW_KIND_STORED views are materialized per entity and served from the online store.
   */
  | 'FEATURE_VIEW_KIND_STORED'
  | 1
  /**
   * FEATURE_VIEW_KIND_REQUEST views are computed at request time from request_context (and stored
   * features); they are never stored.
   */
  | 'FEATURE_VIEW_KIND_REQUEST'
  | 2

/**
 * FeatureViewKind says how a feature view's values come to be.
 */
export type FeatureViewKind__Output = typeof FeatureViewKind[keyof typeof FeatureViewKind]
