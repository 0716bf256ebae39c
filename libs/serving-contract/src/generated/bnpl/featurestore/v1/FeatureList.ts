// Original file: proto/bnpl/featurestore/v1/serving.proto


/**
 * FeatureList is a list of "view:feature" (or "view:*") references.
 */
export interface FeatureList {
  /**
   * The references.
   */
  'refs'?: (string)[];
}

/**
 * FeatureList is a list of "view:feature" (or "view:*") references.
 */
export interface FeatureList__Output {
  /**
   * The references.
   */
  'refs': (string)[];
}
