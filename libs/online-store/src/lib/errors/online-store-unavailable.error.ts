import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * The online store's backend could not answer: not connected, connection lost, timed out, or an error
 * reply. Raised fast (nothing is queued while disconnected): the read path treats it as "fall back to the
 * source", the write path as "retry later".
 *
 * Lives in the domain, beside the `OnlineStore` port, so that the read path can recognise it without
 * importing the adapter lib.
 */
export class OnlineStoreUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'ONLINE_STORE_UNAVAILABLE';

  constructor(
    /** The backend kind (`redis`, `redis-cluster`, ...). */
    readonly backend: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Online store (${backend}) unavailable: ${detail}`);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
