import { FeatureStoreError } from '@bnpl/feature-definitions';
import { bounded } from './bounded';

/** Why a caller is not authenticated; stable, for clients to branch on. */
export type UnauthenticatedReason =
  | 'MISSING_CREDENTIALS'
  | 'MALFORMED_CREDENTIALS'
  | 'CREDENTIALS_IN_URL'
  | 'CREDENTIALS_TOO_LARGE'
  | 'INVALID_API_KEY'
  | 'API_KEY_REVOKED'
  | 'API_KEY_EXPIRED'
  | 'TOKENS_NOT_ACCEPTED'
  | 'MALFORMED_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_WRONG_ISSUER'
  | 'TOKEN_WRONG_AUDIENCE'
  | 'TOKEN_UNKNOWN_KEY'
  | 'TOKEN_ALGORITHM_NOT_ALLOWED'
  | 'TOKEN_INVALID_SIGNATURE'
  | 'TOKEN_INVALID_CLAIMS';

/**
 * The caller did not prove who it is: no credential, a malformed one, an unknown or wrong API key (one
 * message for both, so that nothing is learned about which keys exist), a revoked or expired key, a token
 * that does not verify. 401 / UNAUTHENTICATED. The message names the problem and never quotes the
 * credential.
 */
export class UnauthenticatedError extends FeatureStoreError {
  readonly kind = 'UNAUTHENTICATED';

  constructor(
    readonly reason: UnauthenticatedReason,
    message: string,
  ) {
    super(bounded(message));
  }
}
