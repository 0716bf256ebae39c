import { FeatureStoreError } from '@bnpl/feature-definitions';

/** A job request that cannot run: rejected before anything is written or published. */
export class InvalidJobRequestError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_JOB_REQUEST';

  constructor(message: string) {
    super(message);
  }
}

/** No job with this id. */
export class JobNotFoundError extends FeatureStoreError {
  readonly kind = 'NOT_FOUND';
  readonly reason = 'JOB_NOT_FOUND';

  constructor(readonly jobId: string) {
    super(`No job ${jobId}`);
  }
}

/** An idempotency key already names a job that was asked with another request. */
export class IdempotencyKeyConflictError extends FeatureStoreError {
  readonly kind = 'ALREADY_EXISTS';
  readonly reason = 'IDEMPOTENCY_KEY_REUSED';

  constructor(
    readonly key: string,
    readonly jobId: string,
  ) {
    super(`The idempotency key ${JSON.stringify(key.slice(0, 64))} already names job ${jobId}, submitted with another request: use a new key for a new job`);
  }
}

/**
 * A training-set file a request names cannot be used: outside the job files roots (`..`, an absolute path
 * elsewhere, a symbolic link leading out, a bucket not allowed), missing inside them, or an output that
 * exists while `overwrite` was not asked. The message names the field and the problem and quotes at most
 * what the caller sent, never a host path of its own.
 */
export class JobFileRefusedError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'JOB_FILE_REFUSED';

  constructor(message: string) {
    super(message);
  }
}

/**
 * A principal has as many jobs in flight (pending or running) as its quota allows: retry once one of them
 * finishes (`retryAfterSeconds` is a hint, not a promise).
 */
export class JobQuotaExceededError extends FeatureStoreError {
  readonly kind = 'RESOURCE_EXHAUSTED';
  readonly reason = 'JOB_QUOTA_EXCEEDED';

  constructor(
    readonly maxInFlight: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Job quota exceeded: at most ${maxInFlight} jobs in flight (pending or running) per principal; retry when one of yours has finished (in about ${retryAfterSeconds} s), or cancel one`);
  }
}
