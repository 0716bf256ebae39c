import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A query over decision records is malformed: a bad day, a reversed or too long range. 400 / INVALID_ARGUMENT. */
export class InvalidDecisionQueryError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_DECISION_QUERY';

  constructor(detail: string) {
    super(`Invalid decision query: ${detail}`);
  }
}
