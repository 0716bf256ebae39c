import { defineFeatureService } from '../model/feature-service';
import { Owner } from './owners';

/** Everything the risk engine reads to decide on a BNPL purchase. */
export const creditDecisionV1Service = defineFeatureService({
  name: 'credit_decision_v1',
  version: 1,
  owner: Owner.DECISIONING,
  description: 'All customer views, the merchant risk view and the request-time features of the purchase.',
  features: [
    'customer_profile:*',
    'customer_exposure:*',
    'customer_repayment:*',
    'customer_spending:*',
    'merchant_risk:*',
    'credit_request:*',
  ],
});
