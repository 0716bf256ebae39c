import { FeatureStoreError } from '@bnpl/feature-definitions';

/** An outcome is posted by another principal than the one the decision was served to. 403 / PERMISSION_DENIED. */
export class OutcomeNotPermittedError extends FeatureStoreError {
  readonly kind = 'PERMISSION_DENIED';
  readonly reason = 'OUTCOME_NOT_PERMITTED';

  constructor(readonly decisionId: string) {
    super(`Only the principal the decision ${JSON.stringify(decisionId)} was served to (or an admin) may post its outcome`);
  }
}
