import type { GetOnlineFeaturesCommand, GetOnlineFeaturesResult } from '@bnpl/serving';
import type { ServeDecision } from '@bnpl/decision-records';
import type { EdgeDecision } from './edge-decision';

/** Injection token of the process's DecisionServing (provided by DecisionRecordingModule). */
export const DECISION_SERVING = Symbol('DECISION_SERVING');

/**
 * What the edges call instead of GetOnlineFeatures: the same answer, with a decision id put on it and the
 * decision recorded (see ServeDecision). Errors are the read path's, InvalidDecisionIdError (400) and
 * DecisionBacklogFullError (503).
 */
export class DecisionServing {
  constructor(readonly serveDecision: ServeDecision) {}

  async serve(command: GetOnlineFeaturesCommand, decision: EdgeDecision): Promise<GetOnlineFeaturesResult> {
    const served = await this.serveDecision.execute(command, decision);
    decision.answer(served.decisionId);
    return served.result;
  }
}
