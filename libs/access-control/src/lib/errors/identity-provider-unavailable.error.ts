import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * The identity provider's signing keys (its JWKS) could not be fetched, so a token signed with a key not
 * yet known here cannot be verified. 503 / UNAVAILABLE: the caller may retry; tokens signed with keys
 * already fetched keep working.
 */
export class IdentityProviderUnavailableError extends FeatureStoreError {
  readonly kind = 'UNAVAILABLE';
  readonly reason = 'IDENTITY_PROVIDER_UNAVAILABLE';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`The identity provider's signing keys could not be fetched: ${detail.slice(0, 200)}`, options);
  }
}
