import type { Topic } from './topics/topic';

/** Injection token of the MessagePublisher (provided by MessagingModule). */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');

export interface PublishOptions {
  /**
   * Messages with the same key are delivered in publish order by a backend that orders them (Pub/Sub, on a
   * subscription created with message ordering). Neither the emulator nor the in-process bus orders.
   */
  readonly orderingKey?: string;
  /**
   * String attributes carried beside the payload. Keys starting with `bnpl-` are the transport's (it adds
   * them to dead letters) and `goog` is reserved by Pub/Sub.
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Publishes typed payloads on topics. */
export interface MessagePublisher {
  /**
   * Encodes `payload` with the topic's codec and publishes it.
   *
   * Resolves with the message id once the backend has stored the message: it will then be delivered, at
   * least once, to every subscription the topic had at that moment (a topic without subscriptions drops
   * it, as Pub/Sub does). Rejects with InvalidMessagePayloadError, before sending anything, when the
   * payload does not fit the topic; with MessagingUnavailableError when the backend does not take the
   * message in time, in which case it may still arrive later (publishing again may then deliver it twice:
   * consumers are idempotent).
   */
  publish<T>(topic: Topic<T>, payload: T, options?: PublishOptions): Promise<string>;
}
