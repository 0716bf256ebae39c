// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { Money as _bnpl_featurestore_v1_Money, Money__Output as _bnpl_featurestore_v1_Money__Output } from '../../../bnpl/featurestore/v1/Money';
import type { Long } from '@grpc/proto-loader';

/**
 * FeatureValue is one typed value.
 */
export interface FeatureValue {
  /**
   * An INT64 value. Values beyond 2^53 - 1 in magnitude are rejected.
   */
  'int64_value'?: (number | string | Long);
  /**
   * A DOUBLE value.
   */
  'double_value'?: (number | string);
  /**
   * A STRING value.
   */
  'string_value'?: (string);
  /**
   * A BOOL value.
   */
  'bool_value'?: (boolean);
  /**
   * A MONEY value.
   */
  'money_value'?: (_bnpl_featurestore_v1_Money | null);
  /**
   * The value, by type. Always set in responses (a feature without a value is served its default).
   */
  'kind'?: "int64_value"|"double_value"|"string_value"|"bool_value"|"money_value";
}

/**
 * FeatureValue is one typed value.
 */
export interface FeatureValue__Output {
  /**
   * An INT64 value. Values beyond 2^53 - 1 in magnitude are rejected.
   */
  'int64_value'?: (string);
  /**
   * A DOUBLE value.
   */
  'double_value'?: (number);
  /**
   * A STRING value.
   */
  'string_value'?: (string);
  /**
   * A BOOL value.
   */
  'bool_value'?: (boolean);
  /**
   * A MONEY value.
   */
  'money_value'?: (_bnpl_featurestore_v1_Money__Output | null);
  /**
   * The value, by type. Always set in responses (a feature without a value is served its default).
   */
  'kind'?: "int64_value"|"double_value"|"string_value"|"bool_value"|"money_value";
}
