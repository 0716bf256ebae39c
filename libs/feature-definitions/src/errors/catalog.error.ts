import { FeatureStoreError } from './feature-store.error';

/** Reasons a lookup in a valid catalog can fail. */
export type CatalogErrorReason =
  | 'INVALID_FEATURE_REF'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_VIEW'
  | 'UNKNOWN_FEATURE_SERVICE'
  | 'UNKNOWN_ENTITY'
  | 'UNKNOWN_SOURCE';

/**
 * A lookup in the catalog failed (unknown name, malformed reference). Raised by `Catalog` methods at
 * run time, typically because a caller asked for something that does not exist: a client error.
 */
export class CatalogError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  constructor(
    readonly reason: CatalogErrorReason,
    message: string,
    /** The offending name or reference, as given by the caller. */
    readonly subject: string,
  ) {
    super(message);
  }
}
