import type { Principal } from '@bnpl/access-control';

/**
 * Where a request carries its principal: a symbol-keyed property of the request object (the Fastify
 * request, or the gRPC call's metadata). Not a WeakMap: an entry per request in a WeakMap costs the
 * garbage collector far more than a property that dies with its object.
 */
const PRINCIPAL = Symbol('bnpl.principal');

type Carrier = { [PRINCIPAL]?: Principal };

/** Records the principal of a request (the HTTP request, or the gRPC call's metadata). */
export function attachPrincipal(request: object, principal: Principal): void {
  (request as Carrier)[PRINCIPAL] = principal;
}

/**
 * The principal AccessGuard authenticated for this request (the Fastify request, or the gRPC call's
 * metadata), or undefined when access control is off or the route is public.
 */
export function principalOf(request: object): Principal | undefined {
  return (request as Carrier)[PRINCIPAL];
}
