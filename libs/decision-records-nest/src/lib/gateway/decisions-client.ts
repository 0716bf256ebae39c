import { DecisionStoreUnavailableError } from '@bnpl/decision-records';
import { PRINCIPAL_ADMIN_HEADER, PRINCIPAL_ID_HEADER } from '../sink/decisions-service.controller';

/** An answer of the decisions service, passed on as it is. */
export interface ForwardedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Who asked, as rest-gateway authenticated them (null with access control off). */
export interface ForwardedPrincipal {
  readonly id: string;
  readonly admin: boolean;
}

/**
 * rest-gateway's way to the decisions service (the batch-processor that owns the offline store): each
 * call is forwarded with the principal rest-gateway authenticated (its own headers; a client's never pass
 * through) and the answer, errors included (problem+json), comes back unchanged. A service that does not
 * answer within the timeout is DecisionStoreUnavailableError (503).
 */
export class DecisionsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async forward(method: 'GET' | 'POST', path: string, options: { body?: unknown; principal?: ForwardedPrincipal | null; timeoutMs?: number } = {}): Promise<ForwardedAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.principal) {
      headers[PRINCIPAL_ID_HEADER] = options.principal.id;
      headers[PRINCIPAL_ADMIN_HEADER] = String(options.principal.admin);
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      throw new DecisionStoreUnavailableError(`the decisions service at ${this.baseUrl} did not answer (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const body = await response.text();
    if (response.status >= 500 && response.status !== 503 && !(response.headers.get('content-type') ?? '').includes('problem+json')) {
      throw new DecisionStoreUnavailableError(`the decisions service at ${this.baseUrl} answered ${response.status}`);
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body };
  }
}
