import { FeatureStoreError, quoteInput } from '@bnpl/feature-definitions';

/** A decision id (a caller's `x-decision-id`, or the id in a decisions URL) is malformed. 400 / INVALID_ARGUMENT. */
export class InvalidDecisionIdError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_DECISION_ID';

  constructor(given: unknown, why: string) {
    super(`Invalid decision id ${typeof given === 'string' ? quoteInput(given) : String(given)}: ${why}`);
  }
}
