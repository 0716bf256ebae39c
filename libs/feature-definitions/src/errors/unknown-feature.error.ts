import { quoteInput } from './bounded-message';
import { CatalogError } from './catalog.error';

/** A `view:feature` reference names a view that exists but no feature of that name in it. */
export class UnknownFeatureError extends CatalogError {
  declare readonly reason: 'UNKNOWN_FEATURE';

  constructor(ref: string) {
    super('UNKNOWN_FEATURE', `Unknown feature ${quoteInput(ref)}`, ref);
  }
}

/** No feature view (stored or request-time) has this name. */
export class UnknownFeatureViewError extends CatalogError {
  declare readonly reason: 'UNKNOWN_FEATURE_VIEW';

  constructor(viewName: string, detail?: string) {
    super('UNKNOWN_FEATURE_VIEW', `Unknown feature view ${quoteInput(viewName)}${detail ? `: ${detail}` : ''}`, viewName);
  }
}

/** No feature service has this name. */
export class UnknownFeatureServiceError extends CatalogError {
  declare readonly reason: 'UNKNOWN_FEATURE_SERVICE';

  constructor(serviceName: string) {
    super('UNKNOWN_FEATURE_SERVICE', `Unknown feature service ${quoteInput(serviceName)}`, serviceName);
  }
}

/** A feature reference is not of the form `view:feature` or `view:*`. */
export class InvalidFeatureRefError extends CatalogError {
  declare readonly reason: 'INVALID_FEATURE_REF';

  constructor(ref: string) {
    super('INVALID_FEATURE_REF', `Invalid feature reference ${quoteInput(ref)}: expected "view:feature" or "view:*"`, ref);
  }
}
