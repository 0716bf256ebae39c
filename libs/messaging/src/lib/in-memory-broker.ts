import { MessagingUnavailableError } from './errors/messaging-unavailable.error';
import type { BrokerSubscription, Delivery, MessageBroker, SubscriptionSpec } from './message-broker.port';
import type { PublishOptions } from './message-publisher.port';

export interface InMemoryBrokerOptions {
  /** Brokers with the same namespace share topics and subscriptions. Default `default`. */
  readonly namespace?: string;
}

interface StoredMessage {
  readonly id: string;
  readonly data: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime: Date;
}

/** A message waiting in, or delivered from, one subscription: deliveries are counted per subscription, as Pub/Sub does. */
interface Queued {
  readonly message: StoredMessage;
  deliveries: number;
}

interface Consumer {
  readonly maxInFlight: number;
  readonly onDelivery: (delivery: Delivery) => void;
  inFlight: number;
  /** Called when inFlight drops to 0 while closing. */
  onIdle?: () => void;
}

/** The server side of one subscription: a queue, the deliveries outstanding, the consumers attached. */
class BusSubscription {
  private readonly available: Queued[] = [];
  private readonly outstanding = new Map<number, { queued: Queued; consumer: Consumer }>();
  private readonly consumers: Consumer[] = [];
  private nextToken = 0;
  private nextConsumer = 0;
  private scheduled = false;

  enqueue(message: StoredMessage): void {
    this.available.push({ message, deliveries: 0 });
    this.schedule();
  }

  attach(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.schedule();
  }

  /** Detaches `consumer`; its outstanding deliveries stay its own until settled or released. */
  detach(consumer: Consumer): void {
    this.consumers.splice(this.consumers.indexOf(consumer), 1);
  }

  /** Makes `consumer`'s unsettled deliveries available again, as an expired ack deadline would. */
  release(consumer: Consumer): void {
    for (const [token, entry] of this.outstanding) {
      if (entry.consumer !== consumer) continue;
      this.outstanding.delete(token);
      this.available.push(entry.queued);
    }
    consumer.inFlight = 0;
    this.schedule();
  }

  // Delivery is asynchronous, as from a real broker: publish() returns before any handler runs.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.available.length > 0) {
      const consumer = this.nextWithCapacity();
      if (!consumer) return;
      const queued = this.available.shift() as Queued;
      queued.deliveries++;
      const token = this.nextToken++;
      this.outstanding.set(token, { queued, consumer });
      consumer.inFlight++;
      const { message } = queued;
      consumer.onDelivery({
        messageId: message.id,
        data: message.data,
        attributes: message.attributes,
        orderingKey: message.orderingKey,
        publishTime: message.publishTime,
        deliveryAttempt: queued.deliveries,
        ack: () => this.settle(token, true),
        nack: () => this.settle(token, false),
      });
    }
  }

  /** Round robin over the consumers with room, so that consumers of one subscription share the work. */
  private nextWithCapacity(): Consumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.nextConsumer + i) % this.consumers.length];
      if (consumer.inFlight < consumer.maxInFlight) {
        this.nextConsumer = (this.nextConsumer + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  private settle(token: number, acked: boolean): void {
    const entry = this.outstanding.get(token);
    if (!entry) return; // settled already, or released after a drain timeout: like an expired ack id
    this.outstanding.delete(token);
    // A nacked message goes to the back of the queue so that one failing message never holds up the others.
    if (!acked) this.available.push(entry.queued);
    entry.consumer.inFlight--;
    if (entry.consumer.inFlight === 0) entry.consumer.onIdle?.();
    this.schedule();
  }
}

/** Topics and subscriptions of one namespace. */
class Bus {
  private readonly topics = new Map<string, Set<BusSubscription>>();
  private readonly subscriptions = new Map<string, BusSubscription>();
  private nextId = 1;

  publish(topic: string, data: Uint8Array, options: PublishOptions): string {
    const message: StoredMessage = {
      id: String(this.nextId++),
      data: Uint8Array.from(data),
      attributes: { ...options.attributes },
      orderingKey: options.orderingKey || undefined,
      publishTime: new Date(),
    };
    // A topic without subscriptions drops the message, as Pub/Sub does.
    for (const subscription of this.topic(topic)) subscription.enqueue(message);
    return message.id;
  }

  subscription(topic: string, name: string): BusSubscription {
    let subscription = this.subscriptions.get(name);
    if (!subscription) {
      subscription = new BusSubscription();
      this.subscriptions.set(name, subscription);
      this.topic(topic).add(subscription);
    }
    return subscription;
  }

  /** Forgets a subscription and its queue; its consumers get nothing more, as from a deleted Pub/Sub subscription. */
  deleteSubscription(name: string): void {
    const subscription = this.subscriptions.get(name);
    if (!subscription) return;
    this.subscriptions.delete(name);
    for (const subscriptions of this.topics.values()) subscriptions.delete(subscription);
  }

  private topic(name: string): Set<BusSubscription> {
    let subscriptions = this.topics.get(name);
    if (!subscriptions) this.topics.set(name, (subscriptions = new Set()));
    return subscriptions;
  }
}

/**
 * A message bus in this process's memory, with the delivery semantics of Pub/Sub that the transport relies
 * on: per-subscription queues (a message published before a subscription exists is not delivered to it),
 * at-least-once delivery, nack -> redelivery, delivery attempts counted per subscription, consumers of one
 * subscription sharing its messages, unsettled deliveries redelivered when their consumer goes away.
 * Brokers with the same namespace share the bus: that is how apps running inside one process (the local
 * stack, unit tests) talk to each other; it is never shared across processes, and keeps nothing on exit.
 */
export class InMemoryBroker implements MessageBroker {
  readonly kind = 'memory';
  private static readonly buses = new Map<string, Bus>();
  private readonly bus: Bus;
  private readonly consumers = new Map<Consumer, BusSubscription>();
  private closed = false;

  constructor(options: InMemoryBrokerOptions = {}) {
    const namespace = options.namespace ?? 'default';
    let bus = InMemoryBroker.buses.get(namespace);
    if (!bus) InMemoryBroker.buses.set(namespace, (bus = new Bus()));
    this.bus = bus;
  }

  async publish(topic: string, data: Uint8Array, options: PublishOptions = {}): Promise<string> {
    this.assertOpen();
    return this.bus.publish(topic, data, options);
  }

  async subscribe(spec: SubscriptionSpec, onDelivery: (delivery: Delivery) => void): Promise<BrokerSubscription> {
    this.assertOpen();
    this.bus.subscription(spec.deadLetterTopic, spec.deadLetterTopic);
    const subscription = this.bus.subscription(spec.topic, spec.subscription);
    const consumer: Consumer = { maxInFlight: spec.maxInFlight, onDelivery, inFlight: 0 };
    this.consumers.set(consumer, subscription);
    subscription.attach(consumer);
    return { close: () => this.detach(consumer, spec.drainTimeoutMs) };
  }

  // Nothing in memory outlives the process: an ephemeral subscription needs no expiry, only deletion.
  async deleteSubscription(subscription: string): Promise<void> {
    this.assertOpen();
    this.bus.deleteSubscription(subscription);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers.keys()].map((consumer) => this.detach(consumer, 0)));
  }

  private async detach(consumer: Consumer, drainTimeoutMs: number): Promise<void> {
    const subscription = this.consumers.get(consumer);
    if (!subscription) return;
    this.consumers.delete(consumer);
    subscription.detach(consumer);
    if (consumer.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        consumer.onIdle = resolve;
        timer = setTimeout(resolve, drainTimeoutMs);
      });
      clearTimeout(timer);
    }
    subscription.release(consumer);
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingUnavailableError('the in-memory broker is closed');
  }
}
