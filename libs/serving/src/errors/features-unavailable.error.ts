import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * Some requested features are neither in the online store nor readable from the source (both down, or the
 * source's breaker open). A server-side, retryable condition (503 / UNAVAILABLE at the edges); the read
 * path raises it fast rather than hang.
 */
export class FeaturesUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'FEATURES_UNAVAILABLE';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Features unavailable: ${detail}`);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
