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

/** The value at a dotted path (`features.refs`) of a decoded request part, or undefined. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Feature selection from a REST query string: `?service=...` or `?features=a,b`. */
export const featuresInQuery =
  (serviceParameter: string, featuresParameter: string) =>
  (request: unknown): FeatureSelection => {
    const query = at(request, 'query');
    return { featureService: at(query, serviceParameter), features: at(query, featuresParameter) };
  };

/** Feature selection from a JSON body: `{"feature_service": ..., "features": [...]}` (dotted paths for nested fields). */
export const featuresInBody =
  (serviceField: string, featuresField: string) =>
  (request: unknown): FeatureSelection => {
    const body = at(request, 'body');
    return { featureService: at(body, serviceField), features: at(body, featuresField) };
  };

/** Feature selection from a gRPC request message (dotted paths for nested fields: `features.refs`). */
export const featuresInMessage =
  (serviceField: string, featuresField: string) =>
  (message: unknown): FeatureSelection => ({ featureService: at(message, serviceField), features: at(message, featuresField) });
