import { FeatureStoreError, type ErrorKind } from './feature-store.error';

/** How an edge reports an error: an HTTP status and a gRPC status code (the numbers of `grpc.status`). */
export interface EdgeStatus {
  readonly kind: ErrorKind;
  readonly http: number;
  readonly grpc: number;
}

/** The one table from kinds to statuses, used by every edge (REST problem+json, gRPC status), so both APIs agree. */
export const EDGE_STATUS: Readonly<Record<ErrorKind, EdgeStatus>> = {
  INVALID_ARGUMENT: { kind: 'INVALID_ARGUMENT', http: 400, grpc: 3 },
  NOT_FOUND: { kind: 'NOT_FOUND', http: 404, grpc: 5 },
  ALREADY_EXISTS: { kind: 'ALREADY_EXISTS', http: 409, grpc: 6 },
  FAILED_PRECONDITION: { kind: 'FAILED_PRECONDITION', http: 409, grpc: 9 },
  UNAUTHENTICATED: { kind: 'UNAUTHENTICATED', http: 401, grpc: 16 },
  PERMISSION_DENIED: { kind: 'PERMISSION_DENIED', http: 403, grpc: 7 },
  RESOURCE_EXHAUSTED: { kind: 'RESOURCE_EXHAUSTED', http: 429, grpc: 8 },
  UNAVAILABLE: { kind: 'UNAVAILABLE', http: 503, grpc: 14 },
  INTERNAL: { kind: 'INTERNAL', http: 500, grpc: 13 },
};

/**
 * The status of any thrown value at an edge: a FeatureStoreError by its declared kind; anything else
 * (a driver error, a bug) is INTERNAL. Edges answer INTERNAL without the error's detail and log its cause.
 */
export function edgeStatusOf(error: unknown): EdgeStatus {
  return error instanceof FeatureStoreError ? (EDGE_STATUS[error.kind] ?? EDGE_STATUS.INTERNAL) : EDGE_STATUS.INTERNAL;
}
