import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { edgeStatusOf, FeatureStoreError } from '@bnpl/feature-definitions';

/** RFC 9457 problem details, plus our stable `reason` (the same one gRPC clients get). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  reason: string;
  instance: string;
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/**
 * The one place errors become HTTP: FeatureStoreError by its reason (edgeStatusOf, shared with gRPC),
 * Nest/Fastify HTTP errors by their status, anything else 500 without internals in the body.
 */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemJson');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Probes keep terminus' own body (which dependency is down), as every service's /health does.
    if (error instanceof HttpException && request.url.startsWith('/health/')) {
      void reply.status(error.getStatus()).send(error.getResponse());
      return;
    }
    const problem = this.toProblem(error, request.url);
    if (problem.status >= 500) this.logger.error(`${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  toProblem(error: unknown, instance: string): Problem {
    if (error instanceof FeatureStoreError) {
      const status = edgeStatusOf(error).http;
      return this.problem(status, error.reason, status >= 500 && status !== 503 ? 'internal error' : error.message, instance);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const detail = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : error.message;
      return this.problem(status, status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', detail, instance);
    }
    // Fastify's own errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastify = error as { statusCode?: number; message?: string; code?: string };
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return this.problem(fastify.statusCode, fastify.code ?? 'BAD_REQUEST', fastify.message ?? 'bad request', instance);
    }
    return this.problem(500, 'INTERNAL', 'internal error', instance);
  }

  private problem(status: number, reason: string, detail: string, instance: string): Problem {
    return { type: `https://bnpl-feature-store.dev/problems/${reason.toLowerCase().replace(/_/g, '-')}`, title: TITLES[status] ?? 'Error', status, detail, reason, instance };
  }
}
