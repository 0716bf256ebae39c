import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Principal } from '@bnpl/access-control';
import { principalOf } from '@bnpl/access-control-nest';
import type { DecisionEdge, DecisionPrincipal, DecisionRequest } from '@bnpl/decision-records';

/** The header (REST) and metadata key (gRPC) a decision id travels in, both ways. */
export const DECISION_ID_HEADER = 'x-decision-id';

/** A request's decision context at an edge, and how its answer carries the decision id back. */
export interface EdgeDecision extends DecisionRequest {
  /** Puts the decision id on the answer (a header, or gRPC response metadata). Call before the answer is sent. */
  answer(decisionId: string): void;
}

const decisionPrincipal = (principal: Principal | undefined): DecisionPrincipal | null => (principal ? { id: principal.id, kind: principal.kind } : null);

interface HttpRequest {
  readonly headers: Record<string, string | string[] | undefined>;
}
interface HttpReply {
  header(name: string, value: string): unknown;
}

/** The decision context of a REST request (`x-decision-id`, the authenticated principal). */
export function restDecision(request: HttpRequest, reply: HttpReply, edge: Extract<DecisionEdge, 'rest' | 'feast'> = 'rest'): EdgeDecision {
  return {
    requestedId: request.headers[DECISION_ID_HEADER],
    edge,
    principal: decisionPrincipal(principalOf(request)),
    answer: (decisionId) => void reply.header(DECISION_ID_HEADER, decisionId),
  };
}

/**
 * A REST handler parameter: `@DecisionOf() decision: EdgeDecision` (`@DecisionOf('feast')` on the Feast
 * route). Reads the caller's `x-decision-id` and principal; `answer` sets the same header on the reply.
 */
export const DecisionOf = createParamDecorator((edge: 'rest' | 'feast' | undefined, context: ExecutionContext): EdgeDecision => {
  const http = context.switchToHttp();
  return restDecision(http.getRequest<HttpRequest>(), http.getResponse<HttpReply>(), edge ?? 'rest');
});

/**
 * The decision context of a unary gRPC call: the `x-decision-id` metadata and the principal; `answer` sends
 * it back in the response's initial metadata. Pass the handler's metadata and call (Nest's second and
 * third handler arguments).
 */
export function grpcDecision(metadata: Metadata, call: Pick<ServerUnaryCall<unknown, unknown>, 'sendMetadata'>): EdgeDecision {
  const values = metadata.get(DECISION_ID_HEADER).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  return {
    requestedId: values.length === 0 ? undefined : values.length === 1 ? values[0] : values,
    edge: 'grpc',
    principal: decisionPrincipal(principalOf(metadata)),
    answer: (decisionId) => {
      const out = new Metadata();
      out.set(DECISION_ID_HEADER, decisionId);
      call.sendMetadata(out);
    },
  };
}
