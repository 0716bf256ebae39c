import { GooglePubSubBroker } from '@bnpl/messaging-pubsub';
import { InMemoryBroker } from '@bnpl/messaging';
import { BrokerPublisher } from '@bnpl/messaging';
import type { MessageBroker } from '@bnpl/messaging';
import type { MessagePublisher } from '@bnpl/messaging';
import type { MessagingOptions } from './messaging-options';
import { ConsumerStats } from './transport/consumer-stats';
import { PubSubTransport, type SubscriptionBinding } from './transport/pubsub-transport';

/** A process's messaging: one backend client, its publisher, and the transports that consume through it. */
export class Messaging {
  readonly publisher: MessagePublisher;
  /** What this process's consumers did with their messages, over every transport (for metrics). */
  readonly stats = new ConsumerStats();
  readonly #beforeClose: Array<() => Promise<unknown>> = [];

  constructor(
    readonly broker: MessageBroker,
    private readonly consumer: { maxDeliveries?: number; drainTimeoutMs?: number } = {},
  ) {
    this.publisher = new BrokerPublisher(broker);
  }

  /**
   * A NestJS transport strategy consuming `subscriptions` through this backend:
   * `app.connectMicroservice({ strategy: messaging.transport([...]) }, { inheritAppConfig: true })`.
   */
  transport(subscriptions: readonly SubscriptionBinding[]): PubSubTransport {
    return new PubSubTransport(this.broker, { ...this.consumer, subscriptions, stats: this.stats });
  }

  /**
   * Runs `task` when messaging closes, before the backend client does: for what must still publish on
   * the way out (the last decision records). Nest shuts down a module's imports before the module itself,
   * so an importer's own shutdown hook would find messaging closed already.
   */
  beforeClose(task: () => Promise<unknown>): void {
    this.#beforeClose.push(task);
  }

  /** Runs the `beforeClose` tasks (a failed one does not stop the others), then closes the backend client; close the transports (app.close() does) first. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#beforeClose.map((task) => task()));
    await this.broker.close();
  }
}

/** The one place a backend is chosen from options. */
export function createMessaging(options: MessagingOptions): Messaging {
  const consumer = { maxDeliveries: options.maxDeliveries, drainTimeoutMs: options.drainTimeoutMs };
  switch (options.type) {
    case 'pubsub': {
      const { projectId, emulatorHost, createMissing, streamsPerSubscription } = options;
      return new Messaging(new GooglePubSubBroker({ projectId, emulatorHost, createMissing, streamsPerSubscription }), consumer);
    }
    case 'memory':
      return new Messaging(new InMemoryBroker({ namespace: options.namespace }), consumer);
  }
}
