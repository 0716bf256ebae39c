import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A posted outcome is malformed (unknown decision value, bad reason codes, unknown label). 400 / INVALID_ARGUMENT. */
export class InvalidOutcomeError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_OUTCOME';

  constructor(detail: string) {
    super(`Invalid outcome: ${detail}`);
  }
}
