/**
 * What kind of failure an error is, which fixes how every edge reports it (see `edgeStatusOf`): the
 * canonical codes of `google.rpc.Code` that this store uses, each with one HTTP status.
 */
export type ErrorKind =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/**
 * Base of every error the feature store raises on purpose.
 *
 * `reason` is a stable UPPER_SNAKE code (in the spirit of `google.rpc.ErrorInfo.reason`): clients may
 * branch on it. `kind` says whose fault it is and how each edge reports it (HTTP status, gRPC code): every
 * subclass must declare it, so a new error cannot silently become a client error. Messages are for humans
 * and may change; reasons may not. An error that is not a FeatureStoreError is an internal error at every
 * edge (500 / INTERNAL, no detail in the answer, logged with its cause).
 */
export abstract class FeatureStoreError extends Error {
  abstract readonly reason: string;
  abstract readonly kind: ErrorKind;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    // Keeps `error.name` meaningful in logs without each subclass repeating it.
    this.name = new.target.name;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
