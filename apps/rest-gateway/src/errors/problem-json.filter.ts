import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { redactCredentialsInUrl } from '@bnpl/access-control';
import { boundMessage, edgeStatusOf, FeatureStoreError } from '@bnpl/feature-definitions';
import { describeErrorChain, maskAddresses } from '@bnpl/platform';
import { type ErrorDialect } from './error-dialect';
import { type Problem } from './problem.schema';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Reasons of HTTP errors that carry none of their own (Nest's, and Fastify's, which Nest turns into HttpExceptions). */
const HTTP_REASONS: Record<number, string> = {
  404: 'NOT_FOUND',
  413: 'CONTENT_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** What the filter reads from a request (a subset, so that it can be unit-tested without Fastify). */
type RequestInfo = Pick<FastifyRequest, 'url' | 'headers'> & { readonly server?: Pick<FastifyRequest['server'], 'initialConfig'> };

/**
 * A problem+json body: used by the filter and by the connection-level error handler. The detail and the
 * instance (the request's URL) quote client input, so both are bounded (`boundMessage`, shared with gRPC).
 */
export function problem(status: number, reason: string, detail: string, instance: string): Problem {
  return {
    type: `https://bnpl-feature-store.dev/problems/${reason.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: boundMessage(detail),
    reason,
    instance: boundMessage(instance),
  };
}

/**
 * The one place errors become HTTP: FeatureStoreError by its reason (edgeStatusOf, shared with gRPC),
 * Nest/Fastify HTTP errors by their status (an HttpException whose `cause` is a FeatureStoreError keeps
 * that error's reason), anything else 500 without internals in the body. Routes that imitate another API
 * answer that problem in the API's own format (`dialects`, e.g. Feast's errors on its feature server
 * path).
 */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemJson');

  constructor(private readonly dialects: readonly ErrorDialect[] = []) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Probes keep terminus' own body (which dependency is down), as every service's /health does.
    if (error instanceof HttpException && request.url.startsWith('/health/')) {
      void reply.status(error.getStatus()).send(error.getResponse());
      return;
    }
    const body = this.toProblem(error, request);
    if (body.status >= 500 && body.status !== 503) this.logger.error(`${request.method} ${request.url}: ${describeErrorChain(error)}`);
    const path = request.url.split('?', 1)[0];
    const dialect = this.dialects.find((d) => d.handles(path));
    if (dialect) {
      const answer = dialect.render(body);
      void reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
      return;
    }
    void reply.status(body.status).header('content-type', 'application/problem+json').send(body);
  }

  toProblem(error: unknown, request: RequestInfo): Problem {
    // A credential sent in the URL is refused, and not echoed back.
    const instance = redactCredentialsInUrl(request.url);
    if (error instanceof FeatureStoreError) {
      const status = edgeStatusOf(error).http;
      // A 503's message may wrap a driver's (`connect ECONNREFUSED 10.0.0.5:5432`): answers never name an address.
      return problem(status, error.reason, status >= 500 && status !== 503 ? 'internal error' : status === 503 ? maskAddresses(error.message) : error.message, instance);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const reason = error.cause instanceof FeatureStoreError ? error.cause.reason : (HTTP_REASONS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL'));
      return problem(status, reason, this.detailOf(error, status, request), instance);
    }
    // Fastify errors raised outside Nest's mapping carry a 4xx statusCode of their own.
    const fastify = error as { statusCode?: number; message?: string; code?: string };
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return problem(fastify.statusCode, fastify.code ?? 'BAD_REQUEST', fastify.message ?? 'bad request', instance);
    }
    return problem(500, 'INTERNAL', 'internal error', instance);
  }

  /** Fastify's messages for 413 and 415 do not say what to do; these do. */
  private detailOf(error: HttpException, status: number, request: RequestInfo): string {
    if (status === 415) return `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? 'none')}: send the body as application/json`;
    if (status === 413) {
      const limit = request.server?.initialConfig.bodyLimit;
      return `Request body is too large${limit ? `: at most ${limit} bytes` : ''}`;
    }
    const body = error.getResponse();
    return typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : error.message;
  }
}
