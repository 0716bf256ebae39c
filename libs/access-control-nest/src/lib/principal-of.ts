import type { Principal } from '@bnpl/access-control';

const principals = new WeakMap<object, Principal>();

/** Records the principal of a request (the HTTP request, or the gRPC call's metadata). */
export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/**
 * The principal AccessGuard authenticated for this request (the Fastify request, or the gRPC call's
 * metadata), or undefined when access control is off or the route is public.
 */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
