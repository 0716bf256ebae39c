import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type GetOnlineFeaturesCommand } from '@bnpl/serving';
import { DECISION_SERVING, DecisionOf, type DecisionServing, type EdgeDecision } from '@bnpl/decision-records-nest';
import { ApiDecisionId } from '../decisions/api-decision-id';
import { featuresInQuery } from '@bnpl/access-control-nest';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { FEATURES_RESPONSE_EXAMPLE } from '../openapi/examples';
import { toFeatureQuery, type FeatureQueryParams } from './feature-query.mapper';
import { JSON_CONTENT_TYPE, writeFeaturesResponse } from './features-response.mapper';

/**
 * `GET /v1/customers/{customerId}/features`: one customer, from the query string. The hot path: its
 * decorators are documentation metadata, read once when the OpenAPI document is built; per request only
 * the mappers and the read run.
 */
@ApiTags('features')
@Controller('v1')
export class FeaturesController {
  constructor(@Inject(DECISION_SERVING) private readonly decisions: DecisionServing) {}

  /**
   * Features of one customer: `?service=credit_decision_v1` or `?features=view:feature,...`, optional
   * `merchant_id` (merchant views) and `requested_amount_minor` + `currency` (request-time features).
   */
  @Get('customers/:customerId/features')
  @Requires('features:read', { features: featuresInQuery('service', 'features') })
  @ApiOperation({ summary: 'Features of one customer', description: 'A feature service or a list of features for one customer; an unknown customer gets defaults marked MISSING.' })
  @ApiParam({ name: 'customerId', description: 'Customer id: a positive integer, decimal, no leading zeros.', example: '1' })
  @ApiQuery({ name: 'service', type: String, required: false, description: 'A feature service. Exactly one of `service` or `features`.', example: 'credit_decision_v1' })
  @ApiQuery({ name: 'features', type: String, required: false, description: 'Comma-separated `view:feature` or `view:*` references. Exactly one of `service` or `features`.', example: 'customer_exposure:*,customer_profile:kyc_level' })
  @ApiQuery({ name: 'merchant_id', type: String, required: false, description: 'Needed by merchant views (e.g. in credit_decision_v1).', example: '10' })
  @ApiQuery({ name: 'requested_amount_minor', type: String, required: false, description: 'Requested amount in minor units, with `currency`: input of request-time features.', example: '12000' })
  @ApiQuery({ name: 'currency', type: String, required: false, description: 'ISO 4217 currency of `requested_amount_minor`.', example: 'EUR' })
  @ApiJsonOk('FeaturesResponse', 'One result (the customer), one value per feature.', { ...FEATURES_RESPONSE_EXAMPLE, results: FEATURES_RESPONSE_EXAMPLE.results.slice(0, 1) })
  @ApiProblems(400, 500, 503)
  @ApiDecisionId()
  @Header('Content-Type', JSON_CONTENT_TYPE)
  async customerFeatures(@Param('customerId') customerId: string, @Query() query: FeatureQueryParams, @DecisionOf() decision: EdgeDecision): Promise<string> {
    const command: GetOnlineFeaturesCommand = toFeatureQuery(customerId, query);
    // The FeaturesResponse body, written as text (see writeFeaturesResponse).
    return writeFeaturesResponse(await this.decisions.serve(command, decision));
  }
}
