import { describeValue } from '../model/value-type';
import { quoteInput } from './bounded-message';
import { FeatureStoreError } from './feature-store.error';

/** An entity id is not a positive integer in canonical decimal form within the bigint range. */
export class InvalidEntityIdError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_ENTITY_ID';

  constructor(readonly entityId: unknown) {
    super(`Invalid entity id ${describeValue(entityId)}: expected a positive integer as a decimal string (1..9223372036854775807, no leading zeros)`);
  }
}

/** An as-of instant is not a valid Date. */
export class InvalidAsOfError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_AS_OF';

  constructor(readonly asOf: unknown) {
    super(`Invalid as-of instant ${quoteInput(String(asOf))}: expected a valid Date`);
  }
}

/** A request-time input is missing or has the wrong type. */
export class InvalidRequestInputError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_REQUEST_INPUT';

  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Invalid request input ${quoteInput(input)}: ${message}`);
  }
}
