import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog, type GetOnlineFeatures } from '@bnpl/serving';
import { FEATURE_CATALOG, GET_ONLINE_FEATURES } from '@bnpl/serving-runtime';
import { parseBody } from '../http/parse-body';
import { joinKeysOf } from '../http/values.schema';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { FEAST_REQUEST_EXAMPLES, FEAST_RESPONSE_EXAMPLE } from '../openapi/examples';
import { toFeastQuery } from './feast-request.mapper';
import { toFeastResponse } from './feast-response.mapper';
import { feastRequestSchema, type FeastResponse } from './feast.schema';

/**
 * Feast's Python feature server `POST /get-online-features`, over our read path, so that teams with
 * Feast clients can switch. Same request and response layout; where it differs from Feast:
 *
 * - Values: MONEY values are objects `{ amountMinor, currency }` (Feast has no money type). NOT_FOUND
 *   (entity unknown) and NULL_VALUE (no value) carry the feature's catalog default, not null, so a client
 *   that ignores statuses still gets the decision-safe value; the status tells them apart.
 * - Event timestamps: as Feast, `1970-01-01T00:00:00Z` for entity key columns and NOT_FOUND values;
 *   request-time features carry the request instant.
 * - Features come in request (or service) order; Feast groups them by feature view.
 * - Entity key columns: every join key column of the request is echoed, even one the requested features
 *   do not use (Feast drops those).
 * - Request data columns (e.g. `requested_amount`) must hold the same value in every row: request-time
 *   features are computed once per request.
 * - Stricter input: an unknown field or entity column, both `features` and `feature_service`, or
 *   duplicate entity rows are rejected (400), where Feast ignores, prefers one, or answers twice.
 * - Errors are RFC 9457 problem+json, 4xx for any bad input; Feast answers its own error JSON, with
 *   other statuses (422 for a malformed body).
 */
@ApiTags('feast')
@Controller()
export class FeastController {
  private readonly schema: ReturnType<typeof feastRequestSchema>;
  private readonly joinKeys: readonly string[];

  constructor(
    @Inject(GET_ONLINE_FEATURES) private readonly getOnlineFeatures: GetOnlineFeatures,
    @Inject(FEATURE_CATALOG) catalog: Catalog,
  ) {
    const description = describeCatalog(catalog);
    this.schema = feastRequestSchema(description);
    this.joinKeys = joinKeysOf(description);
  }

  @Post('get-online-features')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Feast-compatible online features',
    description:
      "Feast's Python feature server request and response (entities as columns; one results entry per column, entity key columns first). Differences: MONEY values are objects; NOT_FOUND and NULL_VALUE values are the feature's default rather than null; request data must be the same in every row; unknown fields and duplicate entity rows are rejected.",
  })
  @ApiJsonBody('FeastGetOnlineFeaturesRequest', FEAST_REQUEST_EXAMPLES)
  @ApiJsonOk('FeastGetOnlineFeaturesResponse', "Feast's layout: metadata.feature_names, then one results entry per name.", FEAST_RESPONSE_EXAMPLE)
  @ApiProblems(400, 413, 415, 500, 503)
  async feastOnlineFeatures(@Body() body: unknown): Promise<FeastResponse> {
    const request = parseBody(this.schema, body);
    // Validation output follows the schema's key order; Feast echoes key columns in the request's.
    const columnOrder = Object.keys((body as { entities: object }).entities);
    const query = toFeastQuery(request, columnOrder, this.joinKeys);
    const result = await this.getOnlineFeatures.execute(query.command);
    return toFeastResponse(result, query.keyColumns, query.fullFeatureNames);
  }
}
