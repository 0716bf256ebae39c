import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse, type ExamplesObject } from '@nestjs/swagger';
import { schemaRef, type ApiSchemaName } from './api-schemas';

/** The error statuses an operation can answer, each with a problem+json body. */
export type ProblemStatus = 400 | 404 | 413 | 415 | 500 | 503;

const PROBLEMS: Readonly<Record<ProblemStatus, string>> = {
  400: 'Invalid request (unknown feature or service, malformed id, bad body...): the detail names what is wrong.',
  404: 'No such resource: the detail names it.',
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

/** Documents a JSON request body by its component schema. */
export function ApiJsonBody(name: ApiSchemaName, examples: ExamplesObject): MethodDecorator {
  return ApiBody({ required: true, schema: schemaRef(name), examples });
}

/** Documents a 200 JSON answer by its component schema. */
export function ApiJsonOk(name: ApiSchemaName, description: string, example?: unknown): MethodDecorator {
  return ApiResponse({ status: 200, description, content: { 'application/json': { schema: schemaRef(name), ...(example !== undefined ? { example } : {}) } } });
}
