import { FeatureStoreError } from '@bnpl/feature-definitions';
import { bounded } from './bounded';

/** A key to create or rotate is described wrongly: owner, scopes, rate limit, expiry. 400 / INVALID_ARGUMENT. */
export class InvalidApiKeySpecError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_API_KEY_SPEC';

  constructor(message: string) {
    super(bounded(`Invalid API key request: ${message}`));
  }
}
