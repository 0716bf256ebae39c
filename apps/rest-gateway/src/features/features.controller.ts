import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { type GetOnlineFeatures, type GetOnlineFeaturesCommand, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { toFeatureQuery, type FeatureQueryParams } from './feature-query.mapper';
import { GET_ONLINE_FEATURES } from './serving.tokens';

@Controller('v1')
export class FeaturesController {
  constructor(@Inject(GET_ONLINE_FEATURES) private readonly getOnlineFeatures: GetOnlineFeatures) {}

  /**
   * Features of one customer: `?service=credit_decision_v1` or `?features=view:feature,...`, optional
   * `merchant_id` (merchant views) and `requested_amount_minor` + `currency` (request-time features).
   */
  @Get('customers/:customerId/features')
  async customerFeatures(@Param('customerId') customerId: string, @Query() query: FeatureQueryParams): Promise<GetOnlineFeaturesResult> {
    const command: GetOnlineFeaturesCommand = toFeatureQuery(customerId, query);
    return this.getOnlineFeatures.execute(command);
  }
}
