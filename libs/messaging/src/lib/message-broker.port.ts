import type { PublishOptions } from './message-publisher.port';

// The port between the transport (which owns the delivery semantics: decode, ack after the handler,
// bounded redelivery, dead letters) and a backend adapter (which moves bytes). One adapter per backend
// under ../adapters.

/** One delivery of a message to this process. */
export interface Delivery {
  readonly messageId: string;
  readonly data: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime: Date;
  /** How many times the backend has delivered the message, this time included; 0 when it does not say. */
  readonly deliveryAttempt: number;
  /** Done: the subscription will not deliver the message again. */
  ack(): void;
  /** Not done: the subscription delivers the message again, here or to another consumer. */
  nack(): void;
}

export interface SubscriptionSpec {
  readonly topic: string;
  readonly subscription: string;
  /**
   * Where the transport moves messages that exhaust their deliveries. The adapter creates the topic, and a
   * subscription of the same name that keeps its messages, when missing.
   */
  readonly deadLetterTopic: string;
  /** The transport dead-letters after this many deliveries; a backend that can also enforce it does so beyond it. */
  readonly maxDeliveries: number;
  /** Deliveries outstanding (neither acked nor nacked) at once, at most. */
  readonly maxInFlight: number;
  /** How long closing waits for outstanding deliveries before releasing them for redelivery. */
  readonly drainTimeoutMs: number;
  /**
   * The subscription belongs to this one consumer (a per-instance fan-out subscription) and is created
   * whatever the adapter's createMissing says; a backend that can expire unused subscriptions does so
   * after a day, so that those of crashed processes go away. Whoever subscribes deletes it when done
   * (`deleteSubscription`). Default false.
   */
  readonly ephemeral?: boolean;
}

export interface BrokerSubscription {
  /**
   * Stops new deliveries at once, then resolves when every outstanding delivery is acked or nacked and
   * sent, or after `drainTimeoutMs`, when the rest are released for redelivery.
   */
  close(): Promise<void>;
}

/** A messaging backend. */
export interface MessageBroker {
  readonly kind: 'pubsub' | 'memory';
  /** Publishes raw bytes; see MessagePublisher.publish for the contract. Creates the topic when missing. */
  publish(topic: string, data: Uint8Array, options?: PublishOptions): Promise<string>;
  /**
   * Creates the subscription (and its topic and dead-letter topic) when missing, then calls `onDelivery`
   * for each delivery, at most `maxInFlight` outstanding, and `onError` when the subscription fails in a
   * way the adapter cannot recover from (it then delivers nothing more).
   */
  subscribe(spec: SubscriptionSpec, onDelivery: (delivery: Delivery) => void, onError: (error: Error) => void): Promise<BrokerSubscription>;
  /**
   * Deletes a subscription (not its topic): its undelivered messages are lost. Resolves when it is gone or
   * never existed; rejects with MessagingUnavailableError when the backend does not answer in time. Close
   * the subscription's consumers first.
   */
  deleteSubscription(subscription: string): Promise<void>;
  /** Resolves when the backend answers; rejects with MessagingUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Releases connections. Close subscriptions first. */
  close(): Promise<void>;
}
