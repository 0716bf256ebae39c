// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { Feature as _bnpl_featurestore_v1_Feature, Feature__Output as _bnpl_featurestore_v1_Feature__Output } from '../../../bnpl/featurestore/v1/Feature';
import type { ValueType as _bnpl_featurestore_v1_ValueType, ValueType__Output as _bnpl_featurestore_v1_ValueType__Output } from '../../../bnpl/featurestore/v1/ValueType';

/**
 * FeatureService is a named, versioned bundle of features that a consumer asks for as a whole.
 */
export interface FeatureService {
  /**
   * The name, e.g. credit_decision_v1.
   */
  'name'?: (string);
  /**
   * The version; a published version never changes meaning.
   */
  'version'?: (number);
  /**
   * The team that owns it.
   */
  'owner'?: (string);
  /**
   * What it is for.
   */
  'description'?: (string);
  /**
   * Its features, "view:*" expanded, in the order GetOnlineFeatures serves them.
   */
  'features'?: (_bnpl_featurestore_v1_Feature)[];
  /**
   * The join keys every entity row of a request for it must carry, e.g. customer_id and merchant_id.
   */
  'required_join_keys'?: (string)[];
  /**
   * The request_context inputs a request for it must carry, by name.
   */
  'request_inputs'?: ({[key: string]: _bnpl_featurestore_v1_ValueType});
}

/**
 * FeatureService is a named, versioned bundle of features that a consumer asks for as a whole.
 */
export interface FeatureService__Output {
  /**
   * The name, e.g. credit_decision_v1.
   */
  'name': (string);
  /**
   * The version; a published version never changes meaning.
   */
  'version': (number);
  /**
   * The team that owns it.
   */
  'owner': (string);
  /**
   * What it is for.
   */
  'description': (string);
  /**
   * Its features, "view:*" expanded, in the order GetOnlineFeatures serves them.
   */
  'features': (_bnpl_featurestore_v1_Feature__Output)[];
  /**
   * The join keys every entity row of a request for it must carry, e.g. customer_id and merchant_id.
   */
  'required_join_keys': (string)[];
  /**
   * The request_context inputs a request for it must carry, by name.
   */
  'request_inputs': ({[key: string]: _bnpl_featurestore_v1_ValueType__Output});
}
