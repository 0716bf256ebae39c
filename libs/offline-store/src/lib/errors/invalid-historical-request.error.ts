import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A training-set request is malformed (feature selection, entity source, output) or asks for an output the backend cannot write. */
export class InvalidHistoricalRequestError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_HISTORICAL_REQUEST';

  constructor(message: string) {
    super(message);
  }
}
