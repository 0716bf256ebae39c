import { Logger } from '@nestjs/common';
import {
  ApiKeyAdmin,
  ApiKeyAuthenticator,
  ApiKeyUsageRecorder,
  Authenticator,
  CachedApiKeyStore,
  FeatureAccessPolicy,
  InMemoryRateBudget,
  LeasedRateLimiter,
  PermissionDeniedError,
  RateLimitedError,
  requireScope,
  UnauthenticatedError,
  type ApiKeyStore,
  type Credential,
  type KeyRevocationNotifier,
  type Principal,
  type RateBudget,
  type RateLimitDecision,
} from '@bnpl/access-control';
import { JoseTokenVerifier } from '@bnpl/access-control-jose';
import { RedisRateBudget } from '@bnpl/access-control-redis';
import type { Catalog } from '@bnpl/feature-definitions';
import type { AccessRule } from './access-rule.decorator';
import type { AccessControlOptions } from './access-control-options';

export interface AccessControlParts {
  readonly keyStore: ApiKeyStore;
  readonly notifier: KeyRevocationNotifier;
  readonly catalog: Catalog;
}

/** Counters of what access control refused, by reason, since start. */
export type RejectionCounts = ReadonlyMap<string, number>;

/**
 * One app's access control, assembled from its options: who is calling (API keys through the cached key
 * table, tokens through the identity provider), whether it may (scope, feature restrictions) and how
 * often (the leasing rate limiter), and the key admin use cases. The edges (AccessGuard) call it; it
 * knows nothing of HTTP or gRPC.
 */
export class AccessControl {
  readonly enabled: boolean;
  readonly keys: CachedApiKeyStore;
  readonly admin: ApiKeyAdmin;
  readonly limiter: LeasedRateLimiter;
  private readonly authenticator: Authenticator;
  private readonly policy: FeatureAccessPolicy;
  private readonly usage: ApiKeyUsageRecorder;
  private readonly publicPaths: ReadonlySet<string>;
  private readonly defaultLimit: number;
  private readonly rejections = new Map<string, number>();
  private readonly rateBudget: RateBudget;
  private readonly logger = new Logger('AccessControl');

  constructor(
    readonly options: AccessControlOptions,
    parts: AccessControlParts,
  ) {
    this.enabled = options.mode === 'on';
    this.keys = new CachedApiKeyStore(parts.keyStore, options.keyCache);
    this.usage = new ApiKeyUsageRecorder(this.keys, options.keyUsageFlushMs, (error) => this.logger.warn(`could not record API key use: ${(error as Error).message}`));
    const tokens = options.jwt ? new JoseTokenVerifier(options.jwt) : undefined;
    this.authenticator = new Authenticator(new ApiKeyAuthenticator(this.keys, { onUse: (id) => this.usage.used(id) }), tokens);
    this.policy = new FeatureAccessPolicy(parts.catalog, options.restrictions);
    this.rateBudget = this.budget();
    this.limiter = new LeasedRateLimiter(this.rateBudget, {
      ...(options.rateLimit.leaseFraction !== undefined ? { leaseFraction: options.rateLimit.leaseFraction } : {}),
      ...(options.rateLimit.maxLease !== undefined ? { maxLease: options.rateLimit.maxLease } : {}),
      onStoreStateChange: (reachable, error) =>
        reachable
          ? this.logger.log('rate limits: the shared budget (Redis) answers again; limits are shared by every instance')
          : this.logger.error(`rate limits: the shared budget (Redis) does not answer (${(error as Error)?.message}); failing open, each instance counting alone`),
    });
    this.admin = new ApiKeyAdmin(this.keys, parts.notifier, {
      onNotifyError: (id, error) => this.logger.warn(`API key ${id} changed but the revocation event could not be published (${(error as Error).message}); other instances drop it within ${options.keyCache.ttlMs} ms`),
    });
    this.publicPaths = new Set(options.publicPaths);
    this.defaultLimit = options.rateLimit.defaultPerSecond;
  }

  /** Routes without a declared rule that answer without a credential. */
  isPublicPath(path: string): boolean {
    return this.publicPaths.has(path);
  }

  /** Synchronous when the credential is known from memory. */
  authenticate(credential: Credential): Principal | Promise<Principal> {
    return this.authenticator.authenticate(credential);
  }

  /** @throws PermissionDeniedError: a missing scope, or a restricted feature service or view. */
  authorize(principal: Principal, rule: AccessRule, input: unknown): void {
    requireScope(principal, rule.scope);
    if (rule.features && !this.policy.open) this.policy.check(principal, rule.features(input));
  }

  rateLimit(principal: Principal): RateLimitDecision | Promise<RateLimitDecision> {
    return this.limiter.check(principal.id, principal.rateLimitPerSecond ?? this.defaultLimit);
  }

  /** Counts a refusal by its reason (for metrics); other errors are not refusals. */
  countRejection(error: unknown): void {
    if (error instanceof UnauthenticatedError || error instanceof PermissionDeniedError || error instanceof RateLimitedError) {
      this.rejections.set(error.reason, (this.rejections.get(error.reason) ?? 0) + 1);
    }
  }

  rejectionCounts(): RejectionCounts {
    return this.rejections;
  }

  /** A revocation event: the key is read again from the table on its next use. */
  invalidateKey(keyId: string): void {
    this.keys.invalidate(keyId);
  }

  async close(): Promise<void> {
    await this.usage.close();
    await this.limiter.close();
    await this.rateBudget.close();
  }

  private budget(): RateBudget {
    const store = this.options.rateLimit.store;
    // With access control off nothing is counted: no connection to Redis either.
    return store.type === 'redis' && this.enabled ? RedisRateBudget.connect({ url: store.url, ...(store.commandTimeoutMs ? { commandTimeoutMs: store.commandTimeoutMs } : {}), ...(store.tlsCa ? { tlsCa: store.tlsCa } : {}) }) : new InMemoryRateBudget();
  }
}
