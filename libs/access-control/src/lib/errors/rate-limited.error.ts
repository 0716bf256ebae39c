import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * The principal has used its request budget for the current window. 429 (with `Retry-After`) /
 * RESOURCE_EXHAUSTED.
 */
export class RateLimitedError extends FeatureStoreError {
  readonly kind = 'RESOURCE_EXHAUSTED';
  readonly reason = 'RATE_LIMITED';

  constructor(
    /** Requests per second the principal may make. */
    readonly limitPerSecond: number,
    /** When the next request may be admitted, in ms from now (at least 1). */
    readonly retryAfterMs: number,
  ) {
    super(`Rate limit exceeded: at most ${limitPerSecond} requests per second for this credential; retry in ${Math.max(1, Math.ceil(retryAfterMs))} ms`);
  }
}
