import { type z } from 'zod';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';

/** Most problems listed in one error message: a body with 1,000 bad rows should not make a 1,000-line answer. */
const MAX_LISTED = 5;

/** `entities[3].customer_id`; `body` for the body itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

/**
 * Validates a JSON request body against its schema (the one the OpenAPI document is generated from).
 * Throws InvalidRequestBodyError (400) listing the first problems, each with the path it is at.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined) throw new InvalidRequestBodyError('INVALID_REQUEST_BODY', 'No request body: send a JSON object with Content-Type: application/json');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new InvalidRequestBodyError('INVALID_REQUEST_BODY', `Invalid request body: ${listIssues(result.error.issues)}`);
}

/** Validates a parsed query string the same way; a problem is a 400 INVALID_QUERY naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  throw new InvalidRequestBodyError('INVALID_QUERY', `Invalid query: ${listIssues(result.error.issues)}`);
}

function listIssues(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  if (issues.length > MAX_LISTED) listed.push(`and ${issues.length - MAX_LISTED} more`);
  return listed.join('; ');
}
