import { FeatureStoreError } from '@bnpl/feature-definitions';

/** The offline store's backend failed (I/O error, query error, network, quota); `cause` holds the driver's error. */
export class OfflineStoreUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'OFFLINE_STORE_UNAVAILABLE';

  constructor(
    /** `duckdb` or `bigquery`. */
    readonly backend: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Offline store (${backend}) failed: ${detail}`);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
