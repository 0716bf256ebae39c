// Original file: proto/bnpl/featurestore/v1/serving.proto

/**
 * FeatureStatus says where a value came from.
 */
export const FeatureStatus = {
  /**
   * FEATURE_STATUS_UNSPECIFIED is never sent.
   */
  FEATURE_STATUS_UNSPECIFIED: 'FEATURE_STATUS_UNSPECIFIED',
  /**
   * FEATURE_STATUS_PRESENT means the value was computed from the entity's data and is within its view's
   * TTL (a request-time feature computed from the request is PRESENT too).
   */
  FEATURE_STATUS_PRESENT: 'FEATURE_STATUS_PRESENT',
  /**
   * FEATURE_STATUS_DEFAULT means the entity exists but the definition yields no value: the feature's
   * default is returned.
   */
  FEATURE_STATUS_DEFAULT: 'FEATURE_STATUS_DEFAULT',
  /**
   * FEATURE_STATUS_STALE means the stored value is older than its view's TTL; it is still returned.
   */
  FEATURE_STATUS_STALE: 'FEATURE_STATUS_STALE',
  /**
   * FEATURE_STATUS_MISSING means the entity is unknown: the feature's default is returned, without an
   * event time.
   */
  FEATURE_STATUS_MISSING: 'FEATURE_STATUS_MISSING',
} as const;

/**
 * FeatureStatus says where a value came from.
 */
export type FeatureStatus =
  /**
   * FEATURE_STATUS_UNSPECIFIED is never sent.
   */
  | 'FEATURE_STATUS_UNSPECIFIED'
  | 0
  /**
   * FEATURE_STATUS_PRESENT means the value was computed from the entity's data and is within its view's
   * TTL (a request-time feature computed from the request is PRESENT too).
   */
  | 'FEATURE_STATUS_PRESENT'
  | 1
  /**
   * FEATURE_STATUS_DEFAULT means the entity exists but the definition yields no value: the feature's
   * default is returned.
   */
  | 'FEATURE_STATUS_DEFAULT'
  | 2
  /**
   * FEATURE_STATUS_STALE means the stored value is older than its view's TTL; it is still returned.
   */
  | 'FEATURE_STATUS_STALE'
  | 3
  /**
   * FEATURE_STATUS_MISSING means the entity is unknown: the feature's default is returned, without an
   * event time.
   */
  | 'FEATURE_STATUS_MISSING'
  | 4

/**
 * FeatureStatus says where a value came from.
 */
export type FeatureStatus__Output = typeof FeatureStatus[keyof typeof FeatureStatus]
