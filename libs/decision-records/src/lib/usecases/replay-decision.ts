import type { Catalog } from '@bnpl/feature-definitions';
import { DecisionNotFoundError } from '../errors/decision-not-found.error';
import { decodeRecordBody } from '../record/canonical-record';
import { checkDecisionId } from '../record/decision-id';
import { replayRecords, type DecisionReplay, type ReplayHistory } from '../replay/replay';
import type { DecisionStore } from '../store/decision-store.port';

/**
 * `POST /v1/decisions/{id}/replay`, `fs decisions replay`: recomputes the decision's vector as of the
 * instant it was served from the offline history (point in time), and reports every feature equal,
 * different (both values) or not replayable (with the reason). A decision older than the history is
 * answered `not_replayable`, not an error. With a re-used id, the first answer given under it is replayed.
 */
export class ReplayDecision {
  constructor(
    private readonly store: DecisionStore,
    private readonly history: ReplayHistory,
    private readonly catalog: Catalog,
  ) {}

  async execute(decisionId: string): Promise<DecisionReplay> {
    checkDecisionId(decisionId);
    const [first] = await this.store.find(decisionId);
    if (!first) throw new DecisionNotFoundError(decisionId);
    const [replay] = await replayRecords(this.catalog, this.history, [decodeRecordBody(first.body)]);
    return replay;
  }
}
