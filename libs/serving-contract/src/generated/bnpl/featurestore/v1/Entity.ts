// Original file: proto/bnpl/featurestore/v1/serving.proto


/**
 * Entity is a kind of thing features describe, e.g. a customer.
 */
export interface Entity {
  /**
   * The name, e.g. customer.
   */
  'name'?: (string);
  /**
   * The key entity rows use for it, e.g. customer_id.
   */
  'join_key'?: (string);
  /**
   * What it is.
   */
  'description'?: (string);
}

/**
 * Entity is a kind of thing features describe, e.g. a customer.
 */
export interface Entity__Output {
  /**
   * The name, e.g. customer.
   */
  'name': (string);
  /**
   * The key entity rows use for it, e.g. customer_id.
   */
  'join_key': (string);
  /**
   * What it is.
   */
  'description': (string);
}
