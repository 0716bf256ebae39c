import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * An outcome was posted for a decision that already has a different one: outcomes are facts, recorded
 * once (the same outcome posted again is accepted; a repayment label may be added later, never changed).
 * 409 / ALREADY_EXISTS.
 */
export class OutcomeConflictError extends FeatureStoreError {
  readonly kind = 'ALREADY_EXISTS';
  readonly reason = 'OUTCOME_CONFLICT';

  constructor(
    readonly decisionId: string,
    detail: string,
  ) {
    super(`Decision ${JSON.stringify(decisionId)} already has another outcome: ${detail}`);
  }
}
