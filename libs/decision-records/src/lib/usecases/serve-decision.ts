import type { Catalog } from '@bnpl/feature-definitions';
import type { GetOnlineFeatures, GetOnlineFeaturesCommand, GetOnlineFeaturesResult } from '@bnpl/serving';
import type { DecisionBuffer } from '../buffer/decision-buffer';
import { decisionIdFor } from '../record/decision-id';
import type { DecisionEdge, DecisionPrincipal } from '../record/decision-record';
import { draftOf } from '../record/draft-of';

/** What an edge knows about a request beside its command. */
export interface DecisionRequest {
  /** The caller's `x-decision-id` header or metadata (undefined: none sent). */
  readonly requestedId: string | string[] | undefined;
  readonly edge: DecisionEdge;
  readonly principal: DecisionPrincipal | null;
}

/** An answer and the decision id it carries. */
export interface ServedDecision {
  readonly decisionId: string;
  readonly result: GetOnlineFeaturesResult;
}

/**
 * The read path with decision records: every answer gets a decision id (the caller's, checked, or a new
 * UUID v7) and, with a buffer, is recorded before it leaves: numbered at once, sealed and published off the
 * request's path (see DecisionBuffer). Without a buffer (recording off) answers still carry an id.
 *
 * Errors: InvalidDecisionIdError (a malformed caller id, before any read), the read path's own, and
 * DecisionBacklogFullError when the buffer is full under the `reject` policy (the answer is withheld).
 */
export class ServeDecision {
  constructor(
    private readonly getOnlineFeatures: GetOnlineFeatures,
    private readonly catalog: Catalog,
    private readonly buffer: DecisionBuffer | null,
  ) {}

  get recording(): boolean {
    return this.buffer !== null;
  }

  async execute(command: GetOnlineFeaturesCommand, request: DecisionRequest): Promise<ServedDecision> {
    const decisionId = decisionIdFor(request.requestedId);
    if (!this.buffer) return { decisionId, result: await this.getOnlineFeatures.execute(command) };
    const traced = await this.getOnlineFeatures.executeTraced(command);
    this.buffer.record(draftOf(this.catalog, command, traced, { decisionId, edge: request.edge, principal: request.principal }));
    return { decisionId, result: traced.result };
  }
}
