import { FeatureStoreError } from '@bnpl/feature-definitions';

/** The source database cannot be reached; callers fall back (serving) or retry (jobs). */
export class DatabaseUnavailableError extends FeatureStoreError {
  /** A dependency is down: the caller may retry (503 / UNAVAILABLE). */
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'SOURCE_DATABASE_UNAVAILABLE';
  constructor(target: string, cause: string) {
    super(`source database ${target} is unavailable: ${cause}`);
    this.name = 'DatabaseUnavailableError';
  }
}
