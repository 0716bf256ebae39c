import { FeatureStoreError } from '@bnpl/feature-definitions';

/** The decision store (or the service that holds it) does not answer. 503 / UNAVAILABLE. */
export class DecisionStoreUnavailableError extends FeatureStoreError {
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'DECISION_STORE_UNAVAILABLE';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Decision records unavailable: ${detail}`, options);
  }
}
