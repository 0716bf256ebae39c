import { FeatureStoreError, quoteInput } from '@bnpl/feature-definitions';

/**
 * No decision with this id is recorded: never served, past the retention period, or not yet stored (a
 * record reaches the store a fraction of a second after its answer). 404 / NOT_FOUND.
 */
export class DecisionNotFoundError extends FeatureStoreError {
  readonly kind = 'NOT_FOUND';
  readonly reason = 'DECISION_NOT_FOUND';

  constructor(readonly decisionId: string) {
    super(`No decision ${quoteInput(decisionId)} is recorded`);
  }
}
