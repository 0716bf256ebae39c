import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse, type ExamplesObject } from '@nestjs/swagger';
import { feastErrorDocument, type FeastErrorDetail } from '../feast/feast-error.mapper';
import { schemaRef, type ApiSchemaName } from './api-schemas';

/** The error statuses an operation can answer, each with a problem+json body. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

const PROBLEMS: Readonly<Record<ProblemStatus, string>> = {
  400: 'Invalid request (unknown feature or service, malformed id, bad body...): the detail names what is wrong.',
  401: 'No valid credential: none sent, malformed, unknown, revoked or expired key, a token that does not verify. The reason and detail name the problem.',
  403: 'The credential lacks the scope this call needs, or the feature service or view asked for is restricted to other principals.',
  429: "The credential's rate limit is used up for this second: retry after `Retry-After` seconds (RateLimit-* headers give the budget).",
  404: 'No such resource: the detail names it.',
  409: 'The request conflicts with what exists (an Idempotency-Key already used for another request): the detail says what.',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
  500: 'An internal error, logged; the answer says no more.',
  503: 'Features are unavailable: neither the online store nor the source database answered. Retry later.',
};

/** Documents error answers as RFC 9457 problem+json. */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: PROBLEMS[status], content: { 'application/problem+json': { schema: schemaRef('Problem') } } })),
  );
}

/** The error statuses of the Feast-compatible endpoint, each with Feast's error body. */
export type FeastErrorStatus = 401 | 403 | 404 | 413 | 415 | 422 | 429 | 500 | 503;

const OWN = 'bnpl.featurestore.errors';
const FEAST_ERRORS: Readonly<Record<FeastErrorStatus, { description: string; example: FeastErrorDetail }>> = {
  401: { description: 'No valid credential (an API key in x-api-key, or Authorization: Bearer).', example: { module: OWN, class: 'InvalidApiKeyError', message: 'Invalid API key' } },
  403: { description: 'The credential lacks features:read, or the feature service or view is restricted to other principals.', example: { module: OWN, class: 'MissingScopeError', message: 'This call needs the scope features:read; this API key grants catalog:read' } },
  429: { description: "The credential's rate limit is used up: retry after `Retry-After` seconds.", example: { module: OWN, class: 'RateLimitedError', message: 'Rate limit exceeded: at most 100 requests per second for this credential; retry in 120 ms' } },
  404: {
    description: "An unknown feature view or feature service (Feast's FeatureViewNotFoundException, FeatureServiceNotFoundException), or an unknown feature of a known view (FeastObjectNotFoundException).",
    example: { module: 'feast.errors', class: 'FeatureViewNotFoundException', message: 'Unknown feature view "nope"' },
  },
  413: { description: 'The body is larger than 1 MiB.', example: { module: OWN, class: 'ContentTooLargeError', message: 'Request body is too large: at most 1048576 bytes' } },
  415: {
    description: 'The body is not JSON (a body without Content-Type is read as JSON).',
    example: { module: OWN, class: 'UnsupportedMediaTypeError', message: 'Unsupported content type "text/plain": send the body as application/json' },
  },
  422: {
    description: 'A request that cannot be processed (wrong types, columns of different lengths, a malformed id...): the message names what is wrong.',
    example: { module: OWN, class: 'InvalidRequestBodyError', message: 'Invalid request body: entities.customer_id[1]: expected an INT64 entity value: an integer, or a decimal string such as "42", got true (boolean)' },
  },
  500: { description: 'An internal error, logged; the answer says no more.', example: { module: OWN, class: 'InternalError', message: 'internal error' } },
  503: {
    description: 'Features are unavailable: neither the online store nor the source database answered. Retry later.',
    example: { module: OWN, class: 'FeaturesUnavailableError', message: 'Features unavailable: online store and source database unreachable' },
  },
};

/** Documents error answers in Feast's format: a JSON string holding `{"module", "class", "message"}`. */
export function ApiFeastErrors(...statuses: FeastErrorStatus[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: FEAST_ERRORS[status].description, content: { 'application/json': { schema: schemaRef('FeastError'), example: feastErrorDocument(FEAST_ERRORS[status].example) } } }),
    ),
  );
}

/** Documents a JSON request body by its component schema. */
export function ApiJsonBody(name: ApiSchemaName, examples: ExamplesObject): MethodDecorator {
  return ApiBody({ required: true, schema: schemaRef(name), examples });
}

/** Documents a 200 JSON answer by its component schema. */
export function ApiJsonOk(name: ApiSchemaName, description: string, example?: unknown): MethodDecorator {
  return ApiResponse({ status: 200, description, content: { 'application/json': { schema: schemaRef(name), ...(example !== undefined ? { example } : {}) } } });
}
