import { CatalogValidationError } from './catalog-validation.error';
import { type FeatureStoreError } from './feature-store.error';

/** How an edge reports an error: an HTTP status and a gRPC status code (the numbers of `grpc.status`). */
export interface EdgeStatus {
  readonly http: number;
  readonly grpc: number;
}

const INVALID_ARGUMENT: EdgeStatus = { http: 400, grpc: 3 };
const NOT_FOUND: EdgeStatus = { http: 404, grpc: 5 };
const UNAVAILABLE: EdgeStatus = { http: 503, grpc: 14 };
const INTERNAL: EdgeStatus = { http: 500, grpc: 13 };

/** A resource named by its id (a path segment) does not exist. */
const NOT_FOUND_REASONS = new Set(['JOB_NOT_FOUND']);
/** A dependency is down: the caller may retry; never the caller's fault. */
const UNAVAILABLE_REASONS = new Set(['FEATURES_UNAVAILABLE', 'ONLINE_STORE_UNAVAILABLE', 'SOURCE_DATABASE_UNAVAILABLE', 'MESSAGING_UNAVAILABLE', 'OFFLINE_STORE_UNAVAILABLE']);
/** Bad data on our side (source rows, stored values, computed values): not the caller's fault. */
const INTERNAL_REASONS = new Set(['VALUE_OUT_OF_RANGE', 'INVALID_SOURCE_VALUE', 'INVALID_FEATURE_VALUE', 'ONLINE_STORE_CORRUPT_VALUE', 'INVALID_ONLINE_ROW', 'INVALID_OFFLINE_ROW']);

/**
 * The one mapping from a FeatureStoreError to HTTP and gRPC, used by every edge (the REST problem+json
 * filter, the gRPC status mapper), so both APIs agree. Everything not listed is the caller's input:
 * 400 / INVALID_ARGUMENT.
 */
export function edgeStatusOf(error: FeatureStoreError): EdgeStatus {
  if (error instanceof CatalogValidationError) return INTERNAL;
  if (NOT_FOUND_REASONS.has(error.reason)) return NOT_FOUND;
  if (UNAVAILABLE_REASONS.has(error.reason)) return UNAVAILABLE;
  if (INTERNAL_REASONS.has(error.reason)) return INTERNAL;
  return INVALID_ARGUMENT;
}
