// Public API of @bnpl/access-control-nest: access control wired into a NestJS app. AccessControlModule
// (the global AccessGuard for REST and gRPC, the key admin use cases, metrics, key-revocation events),
// the @RequireScope / @PublicRoute declarations, the environment schema, and the subscription binding of
// key revocations. The ports and use cases are @bnpl/access-control; the adapters are chosen here by options.
export { AccessControlModule, type AccessControlModuleAsyncOptions } from './lib/access-control.module';
export { AccessControl } from './lib/access-control';
export { type AccessControlOptions } from './lib/access-control-options';
export { ACCESS_CONTROL, API_KEY_ADMIN } from './lib/access-control.tokens';
export { AccessGuard } from './lib/access.guard';
export { ACCESS_RULE, PublicRoute, RequireScope, featuresInBody, featuresInMessage, featuresInQuery, type AccessRule } from './lib/access-rule.decorator';
export { accessControlEnvSchema, checkAccessControlEnv, toAccessControlOptions, type AccessControlEnv } from './lib/access-control-env';
export { KeyRevocationsController, PublishingKeyRevocationNotifier, keyRevocationsBinding } from './lib/key-revocations';
export { principalOf } from './lib/principal-of';
export { setRateLimitHeaders } from './lib/rate-limit-headers';
