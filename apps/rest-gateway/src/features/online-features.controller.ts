import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { DECISION_SERVING, DecisionOf, type DecisionServing, type EdgeDecision } from '@bnpl/decision-records-nest';
import { ApiDecisionId } from '../decisions/api-decision-id';
import { nativeEntityRows, refuseOversizedBatch } from '../http/batch-size';
import { featuresInBody } from '@bnpl/access-control-nest';
import { Requires } from '../auth/requires.decorator';
import { parseBody } from '../http/parse-body';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { FEATURES_RESPONSE_EXAMPLE, ONLINE_FEATURES_REQUEST_EXAMPLES } from '../openapi/examples';
import { JSON_CONTENT_TYPE, writeFeaturesResponse } from './features-response.mapper';
import { toOnlineFeaturesCommand } from './online-features.mapper';
import { onlineFeaturesRequestSchema } from './online-features.schema';

/** `POST /v1/features/online`: the batch read, its body validated by the schema the OpenAPI document shows. */
@ApiTags('features')
@Controller('v1/features')
export class OnlineFeaturesController {
  private readonly schema: ReturnType<typeof onlineFeaturesRequestSchema>;

  constructor(
    @Inject(DECISION_SERVING) private readonly decisions: DecisionServing,
    @Inject(FEATURE_CATALOG) catalog: Catalog,
  ) {
    this.schema = onlineFeaturesRequestSchema(describeCatalog(catalog));
  }

  /** Features for up to MAX_ENTITY_ROWS entity rows in one call; a read, so 200 rather than POST's 201. */
  @Post('online')
  @HttpCode(200)
  @Requires('features:read', { features: featuresInBody('feature_service', 'features') })
  @ApiOperation({
    summary: 'Features for many entities',
    description:
      'A feature service or a list of `view:feature` references for 1 to 1,000 entity rows, with the inputs of request-time features. One result per row, in request order; an unknown entity gets defaults marked MISSING.',
  })
  @ApiJsonBody('OnlineFeaturesRequest', ONLINE_FEATURES_REQUEST_EXAMPLES)
  @ApiJsonOk('FeaturesResponse', 'One result per entity row, one value per feature.', FEATURES_RESPONSE_EXAMPLE)
  @ApiProblems(400, 413, 415, 500, 503)
  @ApiDecisionId()
  @Header('Content-Type', JSON_CONTENT_TYPE)
  async onlineFeatures(@Body() body: unknown, @DecisionOf() decision: EdgeDecision): Promise<string> {
    refuseOversizedBatch(body, nativeEntityRows);
    // The FeaturesResponse body, written as text (see writeFeaturesResponse).
    return writeFeaturesResponse(await this.decisions.serve(toOnlineFeaturesCommand(parseBody(this.schema, body)), decision));
  }
}
