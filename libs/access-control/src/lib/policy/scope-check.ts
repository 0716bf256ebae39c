import { PermissionDeniedError } from '../errors/permission-denied.error';
import type { Principal } from '../principal';
import type { Scope } from '../scopes';

/** @throws PermissionDeniedError `MISSING_SCOPE` naming the scope the call needs, when `principal` lacks it. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (principal.scopes.has(scope)) return;
  const has = principal.scopes.size ? [...principal.scopes].join(', ') : 'no scope';
  const whose = principal.kind === 'api-key' ? 'this API key grants' : 'this token grants';
  throw new PermissionDeniedError('MISSING_SCOPE', `This call needs the scope ${scope}; ${whose} ${has}`);
}
