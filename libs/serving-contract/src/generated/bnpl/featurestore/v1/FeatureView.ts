// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureViewKind as _bnpl_featurestore_v1_FeatureViewKind, FeatureViewKind__Output as _bnpl_featurestore_v1_FeatureViewKind__Output } from '../../../bnpl/featurestore/v1/FeatureViewKind';
import type { ValueType as _bnpl_featurestore_v1_ValueType, ValueType__Output as _bnpl_featurestore_v1_ValueType__Output } from '../../../bnpl/featurestore/v1/ValueType';
import type { Feature as _bnpl_featurestore_v1_Feature, Feature__Output as _bnpl_featurestore_v1_Feature__Output } from '../../../bnpl/featurestore/v1/Feature';
import type { Long } from '@grpc/proto-loader';

/**
 * FeatureView is a group of features computed together.
 */
export interface FeatureView {
  /**
   * The name, e.g. customer_exposure.
   */
  'name'?: (string);
  /**
   * Stored or request-time.
   */
  'kind'?: (_bnpl_featurestore_v1_FeatureViewKind);
  /**
   * The entity the view describes (stored views); empty for request-time views.
   */
  'entity'?: (string);
  /**
   * A stored value older than this is served with status STALE (stored views); 0 for request-time views.
   */
  'ttl_seconds'?: (number | string | Long);
  /**
   * The team that owns it.
   */
  'owner'?: (string);
  /**
   * What it holds.
   */
  'description'?: (string);
  /**
   * Request inputs by name (request-time views); empty for stored views.
   */
  'request_inputs'?: ({[key: string]: _bnpl_featurestore_v1_ValueType});
  /**
   * Its features, in declaration order.
   */
  'features'?: (_bnpl_featurestore_v1_Feature)[];
}

/**
 * FeatureView is a group of features computed together.
 */
export interface FeatureView__Output {
  /**
   * The name, e.g. customer_exposure.
   */
  'name': (string);
  /**
   * Stored or request-time.
   */
  'kind': (_bnpl_featurestore_v1_FeatureViewKind__Output);
  /**
   * The entity the view describes (stored views); empty for request-time views.
   */
  'entity': (string);
  /**
   * A stored value older than this is served with status STALE (stored views); 0 for request-time views.
   */
  'ttl_seconds': (string);
  /**
   * The team that owns it.
   */
  'owner': (string);
  /**
   * What it holds.
   */
  'description': (string);
  /**
   * Request inputs by name (request-time views); empty for stored views.
   */
  'request_inputs': ({[key: string]: _bnpl_featurestore_v1_ValueType__Output});
  /**
   * Its features, in declaration order.
   */
  'features': (_bnpl_featurestore_v1_Feature__Output)[];
}
