import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { RateLimitedError, readCredential, refuseCredentialInUrl, type Credential, type Principal, type RateLimitDecision } from '@bnpl/access-control';
import { ACCESS_CONTROL } from './access-control.tokens';
import { type AccessControl } from './access-control';
import { ACCESS_RULE, PUBLIC, type AccessRule } from './access-rule.decorator';
import { attachPrincipal } from './principal-of';
import { setRateLimitHeaders, type HeaderTarget } from './rate-limit-headers';

/** Nest's metadata key of a handler's transport (`@GrpcMethod` sets Transport.GRPC). */
const TRANSPORT_METADATA = 'microservices:transport';

/** What an undeclared route or RPC needs: closed to all but administrators until someone declares it. */
const UNDECLARED: AccessRule = { scope: 'admin' };

type Rule = AccessRule | typeof PUBLIC | undefined;

interface HttpRequest {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly routeOptions?: { readonly url?: string };
}

interface GrpcMetadata {
  get(key: string): Array<string | Buffer>;
}

/**
 * The one check at every edge, registered as a global guard (APP_GUARD): REST routes and gRPC methods
 * alike. For each call: the credential (x-api-key, or Authorization: Bearer; never in the URL), the
 * principal, the scope the handler declares (`@RequireScope`), the feature restrictions of what it reads,
 * and the principal's rate limit (RateLimit-* headers on REST). Each refusal is a FeatureStoreError
 * (401, 403, 429 / UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED) that the edge's error mapping
 * answers. Synchronous when the credential and a rate-limit token are in memory.
 *
 * Messages from the app's own broker subscriptions (`@EventPattern`) pass: they are not calls from
 * clients, and the broker's access control applies to them.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly rules = new WeakMap<object, Rule>();
  private readonly windowSeconds: number;

  constructor(
    @Inject(ACCESS_CONTROL) private readonly access: AccessControl,
    private readonly reflector: Reflector,
  ) {
    this.windowSeconds = access.limiter.windowMs / 1000;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.access.enabled) return true;
    const type = context.getType<'http' | 'rpc' | 'ws'>();
    if (type === 'http') {
      // The arguments by index: switchToHttp() would allocate a helper per request on the hot path.
      const request = context.getArgByIndex<HttpRequest>(0);
      const rule = this.ruleOf(context) ?? (this.access.isPublicPath(request.routeOptions?.url ?? '') ? PUBLIC : UNDECLARED);
      if (rule === PUBLIC) return true;
      const reply = context.getArgByIndex<HeaderTarget>(1);
      return this.check(
        () => {
          refuseCredentialInUrl(request.url);
          return readCredential(request.headers['x-api-key'], request.headers.authorization);
        },
        rule,
        request,
        request,
        (decision) => setRateLimitHeaders(reply, decision, this.windowSeconds),
      );
    }
    if (type === 'rpc' && Reflect.getMetadata(TRANSPORT_METADATA, context.getHandler()) === Transport.GRPC) {
      // gRPC handlers receive (message, metadata, call).
      const metadata = context.getArgByIndex<GrpcMetadata>(1);
      const rule = this.ruleOf(context) ?? UNDECLARED;
      if (rule === PUBLIC) return true;
      return this.check(() => readCredential(metadata.get('x-api-key'), metadata.get('authorization')), rule, context.getArgByIndex(0), metadata, () => undefined);
    }
    return true;
  }

  private check(credential: () => Credential, rule: AccessRule, input: unknown, request: object, onDecision: (d: RateLimitDecision) => void): boolean | Promise<boolean> {
    try {
      const principal = this.access.authenticate(credential());
      if (principal instanceof Promise) return principal.then((p) => this.admit(p, rule, input, request, onDecision)).catch((error: unknown) => this.refuse(error));
      const admitted = this.admit(principal, rule, input, request, onDecision);
      return admitted instanceof Promise ? admitted.catch((error: unknown) => this.refuse(error)) : admitted;
    } catch (error) {
      return this.refuse(error);
    }
  }

  private admit(principal: Principal, rule: AccessRule, input: unknown, request: object, onDecision: (d: RateLimitDecision) => void): boolean | Promise<boolean> {
    this.access.authorize(principal, rule, input);
    attachPrincipal(request, principal);
    const decision = this.access.rateLimit(principal);
    return decision instanceof Promise ? decision.then((d) => this.limit(d, onDecision)) : this.limit(decision, onDecision);
  }

  private limit(decision: RateLimitDecision, onDecision: (d: RateLimitDecision) => void): boolean {
    onDecision(decision);
    if (!decision.allowed) throw new RateLimitedError(decision.limit, decision.retryAfterMs);
    return true;
  }

  private refuse(error: unknown): never {
    this.access.countRejection(error);
    throw error;
  }

  private ruleOf(context: ExecutionContext): Rule {
    const handler = context.getHandler();
    if (this.rules.has(handler)) return this.rules.get(handler);
    const rule = this.reflector.getAllAndOverride<Rule>(ACCESS_RULE, [handler, context.getClass()]);
    this.rules.set(handler, rule);
    return rule;
  }
}
