// Original file: proto/bnpl/featurestore/v1/serving.proto


/**
 * GetFeatureServiceRequest names the feature service to describe.
 */
export interface GetFeatureServiceRequest {
  /**
   * The feature service name, e.g. credit_decision_v1.
   */
  'name'?: (string);
}

/**
 * GetFeatureServiceRequest names the feature service to describe.
 */
export interface GetFeatureServiceRequest__Output {
  /**
   * The feature service name, e.g. credit_decision_v1.
   */
  'name': (string);
}
