import { DecisionNotFoundError } from '../errors/decision-not-found.error';
import { DecisionStoreUnavailableError } from '../errors/decision-store-unavailable.error';
import { OutcomeNotPermittedError } from '../errors/outcome-not-permitted.error';
import { decodeRecordBody } from '../record/canonical-record';
import { checkDecisionId } from '../record/decision-id';
import type { SealedRecord } from '../record/decision-record';
import { checkPostedOutcome, mergeOutcome, type OutcomeChange } from '../outcome/outcome';
import type { DecisionOutcome, DecisionStore } from '../store/decision-store.port';

/** Who posts: the principal's id, and whether it is an administrator. Null with access control off. */
export interface OutcomePoster {
  readonly id: string;
  readonly admin: boolean;
}

export interface RecordOutcomeOptions {
  readonly clock?: () => Date;
  /**
   * How long to wait for the decision's record to reach the store before answering 404, in ms (default
   * 3,000). A record arrives a fraction of a second after its answer; a risk engine that posts the
   * outcome at once should not be told the decision does not exist.
   */
  readonly waitForRecordMs?: number;
  readonly pollMs?: number;
}

/**
 * `POST /v1/decisions/{id}/outcome`: the risk engine reports what it decided (and later how the plan was
 * repaid). Only the principal the decision was served to (or an admin) may post it. Outcomes are facts:
 * see `mergeOutcome` (the same again is accepted, a contradiction is a 409, a label is added once).
 */
export class RecordOutcome {
  readonly #clock: () => Date;
  readonly #waitMs: number;
  readonly #pollMs: number;

  constructor(
    private readonly store: DecisionStore,
    options: RecordOutcomeOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#waitMs = options.waitForRecordMs ?? 3_000;
    this.#pollMs = options.pollMs ?? 100;
  }

  /**
   * Throws InvalidDecisionIdError, InvalidOutcomeError (bad input), DecisionNotFoundError (unknown after
   * the wait), OutcomeNotPermittedError, OutcomeConflictError (contradicts the stored outcome).
   */
  async execute(decisionId: string, input: Parameters<typeof checkPostedOutcome>[0], poster: OutcomePoster | null): Promise<{ readonly outcome: DecisionOutcome; readonly change: OutcomeChange }> {
    checkDecisionId(decisionId);
    const posted = checkPostedOutcome(input);
    const record = await this.#awaitRecord(decisionId);
    const servedTo = decodeRecordBody(record.body).principal;
    if (poster && servedTo && poster.id !== servedTo.id && !poster.admin) throw new OutcomeNotPermittedError(decisionId);
    // Read, merge, write over the revision read: a concurrent post makes the write fail, and it is redone.
    for (let attempt = 0; attempt < 5; attempt++) {
      const merged = mergeOutcome(decisionId, await this.store.getOutcome(decisionId), posted, { postedBy: poster?.id ?? null, now: this.#clock(), servedAt: record.servedAt });
      if (merged.change === 'unchanged' || (await this.store.putOutcome(decisionId, merged.outcome))) return merged;
    }
    throw new DecisionStoreUnavailableError(`the outcome of ${decisionId} kept changing while it was being stored`);
  }

  async #awaitRecord(decisionId: string): Promise<SealedRecord> {
    const deadline = Date.now() + this.#waitMs;
    for (;;) {
      const [record] = await this.store.find(decisionId);
      if (record) return record;
      if (Date.now() >= deadline) throw new DecisionNotFoundError(decisionId);
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#pollMs, Math.max(1, deadline - Date.now()))));
    }
  }
}
