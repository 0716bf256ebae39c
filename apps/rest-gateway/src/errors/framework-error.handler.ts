import { problem } from './problem-json.filter';

/** Fastify's router errors, by code: the status and reason of the problem answered. */
const ANSWERS: Readonly<Record<string, { status: number; reason: string; detail: string }>> = {
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, reason: 'URI_TOO_LONG', detail: 'A path parameter is too long: at most 200 characters' },
  FST_ERR_BAD_URL: { status: 400, reason: 'MALFORMED_URL', detail: 'The URL is not valid (a malformed percent-encoding?)' },
};

interface Reply {
  code(status: number): { header(name: string, value: string): { send(body: unknown): unknown } };
}

/**
 * Fastify's `frameworkErrors`: errors of its router, raised before any route or Nest filter, answered as
 * problem+json like every other error (Fastify's default answers plain JSON quoting the whole path). The
 * instance, the path the client sent, is bounded as every quoted input is.
 */
export function answerFrameworkErrorAsProblem(error: Error & { code?: string }, request: unknown, reply: Reply): void {
  const answer = ANSWERS[error.code ?? ''] ?? { status: 400, reason: 'BAD_REQUEST', detail: 'The request could not be routed' };
  const url = (request as { url?: string } | undefined)?.url ?? '';
  void reply.code(answer.status).header('content-type', 'application/problem+json').send(problem(answer.status, answer.reason, answer.detail, url));
}
