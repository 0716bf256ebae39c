import { FeatureStoreError } from '@bnpl/feature-definitions';

/** Why the REST edge rejected a request body before the read path saw it. Stable codes. */
export type InvalidRequestBodyReason = 'INVALID_REQUEST_BODY' | 'FEATURE_NAME_COLLISION' | 'INVALID_JOB_ID' | 'INVALID_QUERY';

/**
 * A request body without the documented shape (wrong types, unknown fields, Feast entity columns of
 * different lengths, ...). A FeatureStoreError, so that the one mapping (`edgeStatusOf`: 400) applies.
 */
export class InvalidRequestBodyError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  constructor(
    readonly reason: InvalidRequestBodyReason,
    message: string,
  ) {
    super(message);
  }
}
