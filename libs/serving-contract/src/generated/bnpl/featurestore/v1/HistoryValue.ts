// Original file: proto/bnpl/featurestore/v1/messaging.proto

import type { HistoryMoney as _bnpl_featurestore_v1_HistoryMoney, HistoryMoney__Output as _bnpl_featurestore_v1_HistoryMoney__Output } from '../../../bnpl/featurestore/v1/HistoryMoney';
import type { Long } from '@grpc/proto-loader';

/**
 * HistoryValue is one feature's value; a feature without a value is left out of its row.
 */
export interface HistoryValue {
  /**
   * The feature's name within the view.
   */
  'feature'?: (string);
  /**
   * An INT64 feature.
   */
  'int64_value'?: (number | string | Long);
  /**
   * A DOUBLE feature.
   */
  'double_value'?: (number | string);
  /**
   * A STRING feature.
   */
  'string_value'?: (string);
  /**
   * A BOOL feature.
   */
  'bool_value'?: (boolean);
  /**
   * A MONEY feature.
   */
  'money_value'?: (_bnpl_featurestore_v1_HistoryMoney | null);
  /**
   * The value, of the feature's type.
   */
  'kind'?: "int64_value"|"double_value"|"string_value"|"bool_value"|"money_value";
}

/**
 * HistoryValue is one feature's value; a feature without a value is left out of its row.
 */
export interface HistoryValue__Output {
  /**
   * The feature's name within the view.
   */
  'feature': (string);
  /**
   * An INT64 feature.
   */
  'int64_value'?: (string);
  /**
   * A DOUBLE feature.
   */
  'double_value'?: (number);
  /**
   * A STRING feature.
   */
  'string_value'?: (string);
  /**
   * A BOOL feature.
   */
  'bool_value'?: (boolean);
  /**
   * A MONEY feature.
   */
  'money_value'?: (_bnpl_featurestore_v1_HistoryMoney__Output | null);
  /**
   * The value, of the feature's type.
   */
  'kind'?: "int64_value"|"double_value"|"string_value"|"bool_value"|"money_value";
}
