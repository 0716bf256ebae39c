import type { Principal } from './principal';

/**
 * Verifies bearer tokens from the company's identity provider (JWTs) and says whose they are.
 *
 * `verify` resolves (or returns, when it can answer from memory) the token's principal, or throws
 * UnauthenticatedError naming what is wrong (malformed, expired, not yet valid, wrong issuer or audience,
 * unknown signing key, algorithm not allowed, bad signature); an UNAVAILABLE FeatureStoreError when the
 * provider's keys cannot be fetched.
 */
export interface TokenVerifier {
  verify(token: string): Principal | Promise<Principal>;
}
