// Public API of @bnpl/access-control: who may call the feature store, and how often. Principals and
// scopes, the credential parsing every edge shares, API keys (format, hashing, the ApiKeyStore port, its
// in-memory reference adapter, the cache decorator, verification, the admin use cases), the TokenVerifier
// port for JWTs, the feature-service and view restrictions, per-key rate limits (the RateBudget port, its
// in-memory adapter, the leasing limiter with its in-process fast path), their errors and contract suites.
// No driver and no framework: PostgreSQL keys in @bnpl/postgres, JWTs in @bnpl/access-control-jose,
// the Redis budget in @bnpl/access-control-redis, Nest wiring in @bnpl/access-control-nest.
export { SCOPES, isScope, parseScopes, type Scope } from './lib/scopes';
export { PRINCIPAL_NAME, type Principal } from './lib/principal';
export { UnauthenticatedError, type UnauthenticatedReason } from './lib/errors/unauthenticated.error';
export { PermissionDeniedError, type PermissionDeniedReason } from './lib/errors/permission-denied.error';
export { RateLimitedError } from './lib/errors/rate-limited.error';
export { ApiKeyNotFoundError } from './lib/errors/api-key-not-found.error';
export { InvalidApiKeySpecError } from './lib/errors/invalid-api-key-spec.error';
export { IdentityProviderUnavailableError } from './lib/errors/identity-provider-unavailable.error';
export { MAX_CREDENTIAL_LENGTH, readCredential, redactCredentialsInUrl, refuseCredentialInUrl, type Credential } from './lib/credentials/credentials';
export { API_KEY_ID, API_KEY_MARKER, apiKeyIdOf, containsApiKey, generateApiKey, hashApiKey, matchesApiKeyHash, type GeneratedApiKey } from './lib/api-keys/api-key';
export { API_KEY_STORE, type ApiKeyRecord, type ApiKeyStore, type NewApiKeyRecord } from './lib/api-keys/api-key-store.port';
export { InMemoryApiKeyStore } from './lib/api-keys/in-memory-api-key-store';
export { CachedApiKeyStore, type ApiKeyCacheOptions, type ApiKeyCacheStats } from './lib/api-keys/cached-api-key-store';
export { ApiKeyAuthenticator, type ApiKeyAuthenticatorOptions } from './lib/api-keys/api-key-authenticator';
export { ApiKeyUsageRecorder } from './lib/api-keys/api-key-usage-recorder';
export { API_KEY_LIMITS, ApiKeyAdmin, type ApiKeyAdminOptions, type CreateApiKeyCommand, type CreatedApiKey, type KeyRevocationNotifier } from './lib/api-keys/api-key-admin';
export { describeApiKeyStoreContract, type ApiKeyStoreContractSubject } from './lib/api-keys/api-key-store.contract';
export { type TokenVerifier } from './lib/token-verifier.port';
export { Authenticator } from './lib/authenticator';
export { requireScope } from './lib/policy/scope-check';
export { FeatureAccessPolicy, type FeatureRestrictions, type FeatureSelection } from './lib/policy/feature-access-policy';
export { type BudgetGrant, type RateBudget } from './lib/rate-limit/rate-budget.port';
export { InMemoryRateBudget } from './lib/rate-limit/in-memory-rate-budget';
export { LeasedRateLimiter, type LeasedRateLimiterOptions, type RateLimitDecision, type RateLimiterStats } from './lib/rate-limit/leased-rate-limiter';
export { describeRateBudgetContract, startOfWindow, type RateBudgetContractSubject } from './lib/rate-limit/rate-budget.contract';
