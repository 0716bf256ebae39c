// Original file: proto/bnpl/featurestore/v1/serving.proto

/**
 * ValueType is the type of a feature's values.
 */
export const ValueType = {
  /**
   * VALUE_TYPE_UNSPECIFIED is never sent.
   */
  VALUE_TYPE_UNSPECIFIED: 'VALUE_TYPE_UNSPECIFIED',
  /**
   * VALUE_TYPE_INT64 is a whole number (exact up to 2^53 - 1 in magnitude).
   */
  VALUE_TYPE_INT64: 'VALUE_TYPE_INT64',
  /**
   * VALUE_TYPE_DOUBLE is an IEEE 754 double.
   */
  VALUE_TYPE_DOUBLE: 'VALUE_TYPE_DOUBLE',
  /**
   * VALUE_TYPE_STRING is a UTF-8 string.
   */
  VALUE_TYPE_STRING: 'VALUE_TYPE_STRING',
  /**
   * VALUE_TYPE_BOOL is a boolean.
   */
  VALUE_TYPE_BOOL: 'VALUE_TYPE_BOOL',
  /**
   * VALUE_TYPE_MONEY is an amount of money: see Money.
   */
  VALUE_TYPE_MONEY: 'VALUE_TYPE_MONEY',
} as const;

/**
 * ValueType is the type of a feature's values.
 */
export type ValueType =
  /**
   * VALUE_TYPE_UNSPECIFIED is never sent.
   */
  | 'VALUE_TYPE_UNSPECIFIED'
  | 0
  /**
   * VALUE_TYPE_INT64 is a whole number (exact up to 2^53 - 1 in magnitude).
   */
  | 'VALUE_TYPE_INT64'
  | 1
  /**
   * VALUE_TYPE_DOUBLE is an IEEE 754 double.
   */
  | 'VALUE_TYPE_DOUBLE'
  | 2
  /**
   * VALUE_TYPE_STRING is a UTF-8 string.
   */
  | 'VALUE_TYPE_STRING'
  | 3
  /**
   * VALUE_TYPE_BOOL is a boolean.
   */
  | 'VALUE_TYPE_BOOL'
  | 4
  /**
   * VALUE_TYPE_MONEY is an amount of money: see Money.
   */
  | 'VALUE_TYPE_MONEY'
  | 5

/**
 * ValueType is the type of a feature's values.
 */
export type ValueType__Output = typeof ValueType[keyof typeof ValueType]
