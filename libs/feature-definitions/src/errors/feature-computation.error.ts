import { FeatureStoreError } from './feature-store.error';

export type FeatureComputationErrorReason = 'VALUE_OUT_OF_RANGE' | 'INVALID_SOURCE_VALUE' | 'INVALID_FEATURE_VALUE';

/**
 * A feature could not be computed from the data: a source value of the wrong shape, an integer beyond
 * 2^53 (money and counts must stay exact in JS numbers), or a request-time function returning a value of
 * the wrong type. A server-side problem, not the caller's.
 */
export class FeatureComputationError extends FeatureStoreError {
  /** Bad data or definitions on our side, never the caller's input: 500 / INTERNAL. */
  readonly kind = 'INTERNAL';
  constructor(
    readonly reason: FeatureComputationErrorReason,
    message: string,
  ) {
    super(message);
  }
}
