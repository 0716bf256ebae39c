import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { Scope } from '@bnpl/access-control';
import { RequireScope, type AccessRule } from '@bnpl/access-control-nest';
import { ApiFeastErrors, ApiProblems } from '../openapi/api-docs';

/** The OpenAPI security schemes (declared in openapi.ts): an API key header, or a bearer token. */
export const API_KEY_SCHEME = 'api_key';
export const BEARER_SCHEME = 'bearer';

/**
 * A route that needs `scope`: enforced by the AccessGuard, and documented (either security scheme, the
 * 401/403/429 answers). `errors: 'feast'` documents them in Feast's format, as that route answers them.
 */
export function Requires(scope: Scope, options: { features?: AccessRule['features']; errors?: 'problem' | 'feast' } = {}): MethodDecorator {
  return applyDecorators(
    RequireScope(scope, options.features ? { features: options.features } : {}),
    ApiSecurity(API_KEY_SCHEME),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-required-scope', scope),
    options.errors === 'feast' ? ApiFeastErrors(401, 403, 429) : ApiProblems(401, 403, 429),
  );
}
