import { FeatureStoreError } from '@bnpl/feature-definitions';

/**
 * A payload does not fit its topic's message type: thrown by `Topic.encode` (nothing is published) and by
 * `Topic.decode` (a consumer dead-letters such a message at once: it cannot get better on redelivery).
 */
export class InvalidMessagePayloadError extends FeatureStoreError {
  readonly kind = 'INVALID_ARGUMENT';
  readonly reason = 'INVALID_MESSAGE_PAYLOAD';

  constructor(
    readonly topic: string,
    detail: string,
  ) {
    super(`Invalid payload for topic "${topic}": ${detail}`);
  }
}
