// Original file: proto/bnpl/featurestore/v1/serving.proto


/**
 * EntityKey identifies one entity by its join key, e.g. customer_id = "1234".
 */
export interface EntityKey {
  /**
   * The join key name: customer_id or merchant_id.
   */
  'join_key'?: (string);
  /**
   * The entity id, a positive integer in decimal without leading zeros (at most 9223372036854775807).
   */
  'id'?: (string);
}

/**
 * EntityKey identifies one entity by its join key, e.g. customer_id = "1234".
 */
export interface EntityKey__Output {
  /**
   * The join key name: customer_id or merchant_id.
   */
  'join_key': (string);
  /**
   * The entity id, a positive integer in decimal without leading zeros (at most 9223372036854775807).
   */
  'id': (string);
}
