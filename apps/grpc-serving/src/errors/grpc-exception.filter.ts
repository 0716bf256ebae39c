import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';
import { boundMessage, edgeStatusOf, FeatureStoreError } from '@bnpl/feature-definitions';
import { describeErrorChain, maskAddresses } from '@bnpl/platform';
import { ResourceNotFoundError } from './resource-not-found.error';

/** Trailing metadata key carrying the error's stable reason (the `reason` REST problem+json bodies carry). */
export const REASON_METADATA_KEY = 'reason';

const INTERNAL_DETAILS = 'internal error';

/**
 * The gRPC status for an error thrown by a handler: a FeatureStoreError by `edgeStatusOf` (the mapping
 * REST uses too) with its message, ResourceNotFoundError as NOT_FOUND, anything else INTERNAL. INTERNAL
 * never carries the error's message, which may describe our data or code (as REST's 500 does not);
 * every status carries the reason in trailing metadata. Details are bounded (`boundMessage`, shared with
 * REST): they travel in a trailer, and one over HTTP/2's header limits would never reach the client.
 */
export function toGrpcStatus(error: unknown): StatusObject {
  let code: status = status.INTERNAL;
  let details = INTERNAL_DETAILS;
  let reason = 'INTERNAL';
  if (error instanceof ResourceNotFoundError) {
    code = status.NOT_FOUND;
    details = boundMessage(error.message);
    reason = error.cause.reason;
  } else if (error instanceof FeatureStoreError) {
    // The kind the error declares decides; an error that is not a FeatureStoreError stays INTERNAL.
    code = edgeStatusOf(error).grpc;
    // UNAVAILABLE's message may wrap a driver's (`connect ECONNREFUSED 10.0.0.5:5432`): statuses never name an address.
    details = code === status.INTERNAL ? INTERNAL_DETAILS : boundMessage(code === status.UNAVAILABLE ? maskAddresses(error.message) : error.message);
    reason = error.reason;
  }
  const metadata = new Metadata();
  metadata.set(REASON_METADATA_KEY, reason);
  return { code, details, metadata };
}

/**
 * The one place errors become gRPC statuses, so that no handler error reaches Nest's default (UNKNOWN).
 * Logs only INTERNAL: client errors and UNAVAILABLE are the caller's to see, and the read path already
 * logs its dependencies' state changes once.
 */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown, StatusObject> {
  private readonly logger = new Logger('GrpcErrors');

  catch(error: unknown): Observable<StatusObject> {
    const grpcStatus = toGrpcStatus(error);
    if (grpcStatus.code === status.INTERNAL) this.logger.error(describeErrorChain(error));
    return throwError(() => grpcStatus);
  }
}

