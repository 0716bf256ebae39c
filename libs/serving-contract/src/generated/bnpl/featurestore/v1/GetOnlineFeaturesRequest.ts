// Original file: proto/bnpl/featurestore/v1/serving.proto

import type { FeatureList as _bnpl_featurestore_v1_FeatureList, FeatureList__Output as _bnpl_featurestore_v1_FeatureList__Output } from '../../../bnpl/featurestore/v1/FeatureList';
import type { EntityRow as _bnpl_featurestore_v1_EntityRow, EntityRow__Output as _bnpl_featurestore_v1_EntityRow__Output } from '../../../bnpl/featurestore/v1/EntityRow';
import type { FeatureValue as _bnpl_featurestore_v1_FeatureValue, FeatureValue__Output as _bnpl_featurestore_v1_FeatureValue__Output } from '../../../bnpl/featurestore/v1/FeatureValue';

/**
 * GetOnlineFeaturesRequest asks for features of one or many entities.
 */
export interface GetOnlineFeaturesRequest {
  /**
   * A feature service name, e.g. credit_decision_v1.
   */
  'feature_service'?: (string);
  /**
   * Feature references, e.g. customer_exposure:outstanding_balance or customer_exposure:*.
   */
  'features'?: (_bnpl_featurestore_v1_FeatureList | null);
  /**
   * The entities, one row each (a row may carry a customer_id and a merchant_id): 1 to 1000 rows, no two
   * alike. A row must carry the join key of every stored view the request reads.
   */
  'entities'?: (_bnpl_featurestore_v1_EntityRow)[];
  /**
   * Inputs of request-time features by name, e.g. requested_amount (a money_value) for credit_request.
   */
  'request_context'?: ({[key: string]: _bnpl_featurestore_v1_FeatureValue});
  /**
   * What to read: exactly one of a feature service by name or a list of "view:feature" references.
   */
  'selection'?: "feature_service"|"features";
}

/**
 * GetOnlineFeaturesRequest asks for features of one or many entities.
 */
export interface GetOnlineFeaturesRequest__Output {
  /**
   * A feature service name, e.g. credit_decision_v1.
   */
  'feature_service'?: (string);
  /**
   * Feature references, e.g. customer_exposure:outstanding_balance or customer_exposure:*.
   */
  'features'?: (_bnpl_featurestore_v1_FeatureList__Output | null);
  /**
   * The entities, one row each (a row may carry a customer_id and a merchant_id): 1 to 1000 rows, no two
   * alike. A row must carry the join key of every stored view the request reads.
   */
  'entities': (_bnpl_featurestore_v1_EntityRow__Output)[];
  /**
   * Inputs of request-time features by name, e.g. requested_amount (a money_value) for credit_request.
   */
  'request_context': ({[key: string]: _bnpl_featurestore_v1_FeatureValue__Output});
  /**
   * What to read: exactly one of a feature service by name or a list of "view:feature" references.
   */
  'selection'?: "feature_service"|"features";
}
