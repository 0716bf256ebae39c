import { ApiKeyAuthenticator } from './api-keys/api-key-authenticator';
import type { Credential } from './credentials/credentials';
import { UnauthenticatedError } from './errors/unauthenticated.error';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier.port';

/**
 * Credential -> principal: API keys by the key table, bearer tokens by the identity provider's verifier
 * when one is configured. Synchronous whenever the answer is in memory (a cached key, a token verified
 * before), so that an authenticated call on the hot path awaits nothing.
 */
export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly tokens?: TokenVerifier,
  ) {}

  /** Whether bearer tokens (JWTs) are accepted. */
  get acceptsTokens(): boolean {
    return this.tokens !== undefined;
  }

  authenticate(credential: Credential): Principal | Promise<Principal> {
    if (credential.kind === 'api-key') return this.apiKeys.authenticate(credential.key);
    if (!this.tokens) throw new UnauthenticatedError('TOKENS_NOT_ACCEPTED', 'Bearer tokens are not accepted: no identity provider is configured; use an API key');
    return this.tokens.verify(credential.token);
  }
}
