// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureValue as _bnpl_featurestore_v1_FeatureValue, FeatureValue__Output as _bnpl_featurestore_v1_FeatureValue__Output } from '../../../bnpl/featurestore/v1/FeatureValue';
import type { FeatureStatus as _bnpl_featurestore_v1_FeatureStatus, FeatureStatus__Output as _bnpl_featurestore_v1_FeatureStatus__Output } from '../../../bnpl/featurestore/v1/FeatureStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

/**
 * FeatureResult is one feature's value for one entity row, with its status and event time.
 */
export interface FeatureResult {
  /**
   * The value; the feature's default when status is DEFAULT or MISSING.
   */
  'value'?: (_bnpl_featurestore_v1_FeatureValue | null);
  /**
   * Where the value came from.
   */
  'status'?: (_bnpl_featurestore_v1_FeatureStatus);
  /**
   * When the value was true: the stored row's event time, the instant of a value just computed from the
   * source, or the request's instant for a request-time feature. Unset when status is MISSING.
   */
  'event_time'?: (_google_protobuf_Timestamp | null);
}

/**
 * FeatureResult is one feature's value for one entity row, with its status and event time.
 */
export interface FeatureResult__Output {
  /**
   * The value; the feature's default when status is DEFAULT or MISSING.
   */
  'value': (_bnpl_featurestore_v1_FeatureValue__Output | null);
  /**
   * Where the value came from.
   */
  'status': (_bnpl_featurestore_v1_FeatureStatus__Output);
  /**
   * When the value was true: the stored row's event time, the instant of a value just computed from the
   * source, or the request's instant for a request-time feature. Unset when status is MISSING.
   */
  'event_time': (_google_protobuf_Timestamp__Output | null);
}
