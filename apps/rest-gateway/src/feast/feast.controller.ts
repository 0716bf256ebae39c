import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Catalog } from '@bnpl/feature-definitions';
import { describeCatalog } from '@bnpl/serving';
import { FEATURE_CATALOG } from '@bnpl/platform';
import { DECISION_SERVING, DecisionOf, type DecisionServing, type EdgeDecision } from '@bnpl/decision-records-nest';
import { ApiDecisionId } from '../decisions/api-decision-id';
import { feastEntityColumns, refuseOversizedBatch } from '../http/batch-size';
import { featuresInBody } from '@bnpl/access-control-nest';
import { Requires } from '../auth/requires.decorator';
import { parseBody } from '../http/parse-body';
import { joinKeysOf } from '../http/values.schema';
import { ApiFeastErrors, ApiJsonBody, ApiJsonOk } from '../openapi/api-docs';
import { FEAST_REQUEST_EXAMPLES, FEAST_RESPONSE_EXAMPLE } from '../openapi/examples';
import { toFeastQuery } from './feast-request.mapper';
import { FEAST_ONLINE_FEATURES_PATH } from './feast-error.mapper';
import { feastResponseJson, toFeastResponse } from './feast-response.mapper';
import { feastRequestSchema } from './feast.schema';

/**
 * What the OpenAPI document says of the endpoint: where it follows Feast's feature server (Feast's
 * `feature_server.py`, `utils.py` and the remote online store's `remote.py`) and where this store differs.
 */
const FEAST_DESCRIPTION = [
  "Feast's Python feature server `POST /get-online-features`, over this store's read path, so that Feast clients (the SDK's remote online store, plain HTTP) work unchanged. As Feast's server:",
  '',
  '- Entities come as columns; the answer has one `results` entry per column: the join key columns first (as requested, status PRESENT, epoch timestamps), then one per feature.',
  '- `include_feature_view_version_metadata` (sent by Feast >= 0.64 on every call) is accepted; other top-level fields are ignored, and so are entity columns that are neither a join key nor request data.',
  '- Entity values are converted to the entity\'s declared type, INT64: `"customer_id": "42"` and `42` are the same entity, echoed as the integer 42.',
  '- Repeated entity rows are read once and the answer is fanned back out to every row, in request order.',
  '- NOT_FOUND and NULL_VALUE values are `null` (Feast sends an unset value); a feature service wins over `features` when both are given.',
  '- A body without Content-Type is read as JSON (as FastAPI does; older remote online stores send none).',
  '- Errors are JSON strings holding `{"module", "class", "message"}` (Feast\'s `FeastError.to_error_detail()`), with the error\'s own status: 404 `feast.errors.FeatureViewNotFoundException` / `FeatureServiceNotFoundException` for an unknown feature view or service (`FeastObjectNotFoundException` for an unknown feature of a known view), 422 for a request that cannot be processed, 413/415 for a body too large or not JSON, 503 when features are unavailable.',
  '',
  "Statuses: this store knows more than Feast, and answers in Feast's names: PRESENT is PRESENT; STALE (older than the view's TTL, value sent) is OUTSIDE_MAX_AGE; DEFAULT (the entity exists, the value does not) is NULL_VALUE with `null`; MISSING (unknown entity) is NOT_FOUND with `null`. The catalog defaults this store serves elsewhere are in `GET /v1/catalog`.",
  '',
  "Differences: MONEY values are objects `{\"amount_minor\": \"12000\", \"currency\": \"EUR\"}` (Feast has no money type); features come in request (or service) order, where Feast groups them by feature view; request data columns (e.g. `requested_amount`) must hold the same value in every row (request-time features are computed once per request); no feature view version metadata is returned (views here are not versioned).",
].join('\n');

/**
 * Feast's Python feature server `POST /get-online-features`, over our read path, so that teams with
 * Feast clients can switch (see FEAST_DESCRIPTION for what matches and what differs). Its errors are
 * answered in Feast's format by the global filter's Feast dialect (`feastErrorDialect`), so that errors
 * raised before this handler runs (invalid JSON, a body too large) are Feast's too.
 */
@ApiTags('feast')
@Controller()
export class FeastController {
  private readonly schema: ReturnType<typeof feastRequestSchema>;
  private readonly joinKeys: readonly string[];

  constructor(
    @Inject(DECISION_SERVING) private readonly decisions: DecisionServing,
    @Inject(FEATURE_CATALOG) catalog: Catalog,
  ) {
    const description = describeCatalog(catalog);
    this.schema = feastRequestSchema(description);
    this.joinKeys = joinKeysOf(description);
  }

  /** Answers JSON text (see `feastResponseJson`: entity ids are integers of any size). */
  @Post(FEAST_ONLINE_FEATURES_PATH)
  @HttpCode(200)
  @Requires('features:read', { features: featuresInBody('feature_service', 'features'), errors: 'feast' })
  @Header('content-type', 'application/json')
  @ApiOperation({ summary: 'Feast-compatible online features', description: FEAST_DESCRIPTION })
  @ApiJsonBody('FeastGetOnlineFeaturesRequest', FEAST_REQUEST_EXAMPLES)
  @ApiJsonOk('FeastGetOnlineFeaturesResponse', "Feast's layout: metadata.feature_names, then one results entry per name.", FEAST_RESPONSE_EXAMPLE)
  @ApiFeastErrors(404, 413, 415, 422, 500, 503)
  @ApiDecisionId()
  async feastOnlineFeatures(@Body() body: unknown, @DecisionOf('feast') decision: EdgeDecision): Promise<string> {
    refuseOversizedBatch(body, feastEntityColumns);
    const request = parseBody(this.schema, body);
    // Validation output follows the schema's key order; Feast echoes key columns in the request's.
    const columnOrder = Object.keys((body as { entities: object }).entities);
    const query = toFeastQuery(request, columnOrder, this.joinKeys);
    const result = await this.decisions.serve(query.command, decision);
    return feastResponseJson(toFeastResponse(result, query));
  }
}
