import { problem } from '../errors/problem-json.filter';
import { feastErrorDetailSchema, feastErrorSchema } from './feast.schema';
import { feastErrorDialect, feastErrorDocument, feastErrorJson, toFeastError } from './feast-error.mapper';

const at = '/get-online-features';

describe('Feast errors', () => {
  it.each([
    ['an unknown feature view', problem(400, 'UNKNOWN_FEATURE_VIEW', 'Unknown feature view "nope"', at), 404, 'feast.errors', 'FeatureViewNotFoundException'],
    ['an unknown feature service', problem(400, 'UNKNOWN_FEATURE_SERVICE', 'Unknown feature service "v9"', at), 404, 'feast.errors', 'FeatureServiceNotFoundException'],
    ['an unknown feature of a known view', problem(400, 'UNKNOWN_FEATURE', 'Unknown feature "customer_profile:nope"', at), 404, 'feast.errors', 'FeastObjectNotFoundException'],
    ['colliding feature names', problem(400, 'FEATURE_NAME_COLLISION', 'Several requested features are named "x"', at), 422, 'feast.errors', 'FeatureNameCollisionError'],
    ['a malformed body', problem(400, 'INVALID_REQUEST_BODY', 'Invalid request body: entities: expected object', at), 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError'],
    ['a bad id the read path found', problem(400, 'INVALID_ENTITY_ID', 'row 0: invalid customer_id "0"', at), 422, 'bnpl.featurestore.errors', 'InvalidEntityIdError'],
    ['invalid JSON', problem(400, 'BAD_REQUEST', 'Body is not valid JSON', at), 422, 'bnpl.featurestore.errors', 'BadRequestError'],
    ['a body too large', problem(413, 'CONTENT_TOO_LARGE', 'Request body is too large', at), 413, 'bnpl.featurestore.errors', 'ContentTooLargeError'],
    ['features unavailable', problem(503, 'FEATURES_UNAVAILABLE', 'Features unavailable: both down', at), 503, 'bnpl.featurestore.errors', 'FeaturesUnavailableError'],
    ['an internal error', problem(500, 'INTERNAL', 'internal error', at), 500, 'bnpl.featurestore.errors', 'InternalError'],
  ])('answers %s with its own status and class', (_what, given, status, module, className) => {
    expect(toFeastError(given)).toEqual({ status, detail: { module, class: className, message: given.detail } });
  });

  it("writes the body as Feast's server does: a JSON string holding json.dumps of the document", () => {
    const detail = { module: 'feast.errors', class: 'FeatureViewNotFoundException', message: 'Unknown feature view "nope"' };
    const body = feastErrorJson(detail);
    expect(body).toBe('"{\\"module\\": \\"feast.errors\\", \\"class\\": \\"FeatureViewNotFoundException\\", \\"message\\": \\"Unknown feature view \\\\\\"nope\\\\\\"\\"}"');
    const once = JSON.parse(body) as unknown;
    expect(feastErrorSchema.safeParse(once).success).toBe(true);
    expect(feastErrorDetailSchema.parse(JSON.parse(once as string))).toEqual(detail);
  });

  it('escapes what Python escapes (ensure_ascii): non-ASCII and control characters', () => {
    expect(feastErrorDocument({ module: 'm', class: 'C', message: 'café\n€ 😀' })).toBe('{"module": "m", "class": "C", "message": "caf\\u00e9\\n\\u20ac \\ud83d\\ude00"}');
  });

  it('is the dialect of the Feast path only, answering JSON', () => {
    expect(feastErrorDialect.handles('/get-online-features')).toBe(true);
    expect(feastErrorDialect.handles('/v1/features/online')).toBe(false);
    const answer = feastErrorDialect.render(problem(400, 'UNKNOWN_FEATURE_SERVICE', 'Unknown feature service "v9"', at));
    expect(answer).toMatchObject({ status: 404, contentType: 'application/json' });
    expect(JSON.parse(JSON.parse(answer.body) as string)).toEqual({ module: 'feast.errors', class: 'FeatureServiceNotFoundException', message: 'Unknown feature service "v9"' });
  });
});
