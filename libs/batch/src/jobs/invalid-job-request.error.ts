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
