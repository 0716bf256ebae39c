import { SetMetadata } from '@nestjs/common';
import type { FeatureSelection, Scope } from '@bnpl/access-control';

/** The access rule of a route or RPC: the scope it needs, and where its request names features (restrictions apply). */
export interface AccessRule {
  readonly scope: Scope;
  /**
   * The feature service and references the request asks for, taken from what the handler receives: the
   * HTTP request (`query`, `body`) or the gRPC message. Given for feature reads, so that restricted
   * services and views are enforced.
   */
  readonly features?: (input: unknown) => FeatureSelection;
}

export const ACCESS_RULE = 'bnpl:access-rule';
export const PUBLIC = 'public';

/**
 * Declares the scope a route or gRPC method needs (every one must declare one, or be `@PublicRoute()`;
 * an undeclared route needs `admin`, so that a new route is closed until someone decides).
 */
export function RequireScope(scope: Scope, options: { features?: AccessRule['features'] } = {}): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS_RULE, { scope, ...options } satisfies AccessRule);
}

/** A route anyone may call without a credential. */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS_RULE, PUBLIC);
}

type Fields = Record<string, unknown> | undefined;

/** Feature selection from a REST query string: `?service=...` or `?features=a,b`. */
export const featuresInQuery =
  (serviceParameter: string, featuresParameter: string) =>
  (request: unknown): FeatureSelection => {
    const query = (request as { query?: Fields }).query;
    return { featureService: query?.[serviceParameter], features: query?.[featuresParameter] };
  };

/** Feature selection from a JSON body: `{"feature_service": ..., "features": [...]}`. */
export const featuresInBody =
  (serviceField: string, featuresField: string) =>
  (request: unknown): FeatureSelection => {
    const body = (request as { body?: unknown }).body;
    const fields = body !== null && typeof body === 'object' ? (body as Fields) : undefined;
    return { featureService: fields?.[serviceField], features: fields?.[featuresField] };
  };

/** Feature selection from a gRPC request message. */
export const featuresInMessage =
  (serviceField: string, featuresField: string) =>
  (message: unknown): FeatureSelection => {
    const fields = message !== null && typeof message === 'object' ? (message as Fields) : undefined;
    return { featureService: fields?.[serviceField], features: fields?.[featuresField] };
  };
