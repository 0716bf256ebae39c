import { FeatureStoreError } from '@bnpl/feature-definitions';

/** The source database cannot be reached; callers fall back (serving) or retry (jobs). */
export class DatabaseUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'SOURCE_DATABASE_UNAVAILABLE';
  /**
   * The message names neither the server nor the driver's error: it reaches answers (503 bodies, gRPC
   * statuses, readiness). `target` (host:port/database) and `detail` (the driver's last error) are for logs.
   */
  constructor(
    readonly target: string,
    readonly detail: string,
  ) {
    super('the source database is unavailable; retry later');
    this.name = 'DatabaseUnavailableError';
  }
}
