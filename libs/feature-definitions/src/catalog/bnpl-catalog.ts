import { defineCatalog } from '../model/catalog';
import { creditDecisionV1Service } from './credit-decision-v1.service';
import { creditRequestView } from './credit-request.request-view';
import { customerExposureView } from './customer-exposure.view';
import { customerProfileView } from './customer-profile.view';
import { customerRepaymentView } from './customer-repayment.view';
import { customerSpendingView } from './customer-spending.view';
import { customerEntity, merchantEntity } from './entities';
import { merchantRiskView } from './merchant-risk.view';
import { bnplSources } from './sources';

/**
 * The BNPL feature catalog. Built at import time: an invalid definition throws CatalogValidationError
 * here, failing every build, test and app start that loads it.
 */
export const bnplCatalog = defineCatalog({
  entities: [customerEntity, merchantEntity],
  sources: bnplSources,
  views: [customerProfileView, customerExposureView, customerRepaymentView, customerSpendingView, merchantRiskView],
  requestViews: [creditRequestView],
  services: [creditDecisionV1Service],
});
