// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { ValueType as _bnpl_featurestore_v1_ValueType, ValueType__Output as _bnpl_featurestore_v1_ValueType__Output } from '../../../bnpl/featurestore/v1/ValueType';
import type { FeatureValue as _bnpl_featurestore_v1_FeatureValue, FeatureValue__Output as _bnpl_featurestore_v1_FeatureValue__Output } from '../../../bnpl/featurestore/v1/FeatureValue';

/**
 * Feature describes one feature.
 */
export interface Feature {
  /**
   * The full name, "view:feature".
   */
  'ref'?: (string);
  /**
   * The name within its view.
   */
  'name'?: (string);
  /**
   * The type of its values.
   */
  'value_type'?: (_bnpl_featurestore_v1_ValueType);
  /**
   * Served with status DEFAULT or MISSING when there is no value.
   */
  'default_value'?: (_bnpl_featurestore_v1_FeatureValue | null);
  /**
   * What it means.
   */
  'description'?: (string);
}

/**
 * Feature describes one feature.
 */
export interface Feature__Output {
  /**
   * The full name, "view:feature".
   */
  'ref': (string);
  /**
   * The name within its view.
   */
  'name': (string);
  /**
   * The type of its values.
   */
  'value_type': (_bnpl_featurestore_v1_ValueType__Output);
  /**
   * Served with status DEFAULT or MISSING when there is no value.
   */
  'default_value': (_bnpl_featurestore_v1_FeatureValue__Output | null);
  /**
   * What it means.
   */
  'description': (string);
}
