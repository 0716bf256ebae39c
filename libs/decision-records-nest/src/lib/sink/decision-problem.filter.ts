import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { boundMessage, edgeStatusOf, FeatureStoreError } from '@bnpl/feature-definitions';
import { describeErrorChain, maskAddresses } from '@bnpl/platform';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

/**
 * Errors of the decisions service as problem+json, shaped as rest-gateway answers them (type, title,
 * status, detail, reason, instance), so that rest-gateway can pass them on unchanged: FeatureStoreErrors
 * by their kind (edgeStatusOf), HTTP errors by their status, anything else 500 without internals.
 */
@Catch()
export class DecisionProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('DecisionsService');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ url: string; method: string }>();
    const reply = http.getResponse<Reply>();
    let status: number;
    let reason: string;
    let detail: string;
    if (error instanceof FeatureStoreError) {
      status = edgeStatusOf(error).http;
      reason = error.reason;
      // A 503's message may wrap a driver's: answers never name an address.
      detail = status === 503 ? maskAddresses(error.message) : error.message;
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      reason = status === 404 ? 'NOT_FOUND' : status === 413 ? 'CONTENT_TOO_LARGE' : 'BAD_REQUEST';
      detail = error.message;
    } else {
      status = 500;
      reason = 'INTERNAL';
      detail = 'Internal error';
    }
    if (status >= 500 && status !== 503) this.logger.error(`${request.method} ${request.url}: ${describeErrorChain(error)}`);
    void reply
      .status(status)
      .header('content-type', 'application/problem+json')
      .send({ type: `https://bnpl-feature-store.dev/problems/${reason.toLowerCase().replace(/_/g, '-')}`, title: TITLES[status] ?? 'Error', status, detail: boundMessage(detail), reason, instance: boundMessage(request.url) });
  }
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Content Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable' };
