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
