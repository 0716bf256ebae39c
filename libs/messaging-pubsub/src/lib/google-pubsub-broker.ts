import type { CreateSubscriptionOptions, Message, PubSub, Topic as PubSubTopic } from '@google-cloud/pubsub';
import { withTimeout } from '@bnpl/platform';
import { MessagingUnavailableError } from '@bnpl/messaging';
import type { BrokerSubscription, Delivery, MessageBroker, SubscriptionSpec } from '@bnpl/messaging';
import type { PublishOptions } from '@bnpl/messaging';

/** The driver, loaded when the first broker is built: a process on another broker never loads the Google client. */
function pubsubDriver(): typeof import('@google-cloud/pubsub') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
}

export interface GooglePubSubBrokerOptions {
  readonly projectId: string;
  /** `host:port` of a Pub/Sub emulator; absent: the real service, with Application Default Credentials. */
  readonly emulatorHost?: string;
  /**
   * Create missing topics and subscriptions (default true). Turn it off where the infrastructure creates
   * them and the service account may only publish and consume.
   */
  readonly createMissing?: boolean;
  /** Streaming-pull streams per subscription (default 5; never more than the subscription's maxInFlight). */
  readonly streamsPerSubscription?: number;
  /** How long a publish, a set-up call or a ping may take before MessagingUnavailableError (default 10 s). */
  readonly callTimeoutMs?: number;
}

/** How long acks and lease changes may wait to be sent in one batch (the library's default is 100 ms). */
const ACK_BATCH_MS = 10;
/**
 * The library leases each message on receipt with a modAck sent in the next batch. A nack (a modAck to 0)
 * sent in that same batch goes out as a parallel request and may lose the race: the message then stays
 * leased for a whole ack deadline instead of coming back at once. So a nack goes out no earlier than this
 * long after receipt, when the receipt's batch has been sent.
 */
const NACK_NOT_BEFORE_MS = 5 * ACK_BATCH_MS;

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
/** An ephemeral subscription unused this long is deleted by Pub/Sub: the shortest expiration it allows. */
const EPHEMERAL_TTL_SECONDS = 24 * 3600;
/**
 * How long an ephemeral subscription keeps a message nobody acked. Pub/Sub wants it below the expiration
 * TTL (the default, 7 days, is not); an hour is far longer than any consumer of one (a cache) cares about.
 */
const EPHEMERAL_RETENTION_SECONDS = 3600;
/** Pub/Sub's bounds on a dead-letter policy's max_delivery_attempts. */
const SERVER_MIN_ATTEMPTS = 5;
const SERVER_MAX_ATTEMPTS = 100;

/**
 * Google Cloud Pub/Sub through `@google-cloud/pubsub`, or its emulator.
 *
 * Consumption is streaming pull with client flow control: at most maxInFlight messages are handed out at
 * once (`allowExcessMessages: false`), leases are extended while handlers run, and acks are batched. On the
 * emulator each stream delivers about 100 messages/s (it pushes one message per stream every 10 ms), so
 * throughput there is streams x 100/s; the real service has no such limit.
 */
export class GooglePubSubBroker implements MessageBroker {
  readonly kind = 'pubsub';
  private readonly client: PubSub;
  private readonly topics = new Map<string, PubSubTopic>();
  private readonly createdTopics = new Map<string, Promise<void>>();
  /** Durable subscriptions this client declared (subscription name -> spec), recreated with their topic. */
  private readonly declaredSubscriptions = new Map<string, SubscriptionSpec>();
  private readonly createMissing: boolean;
  private readonly streams: number;
  private readonly callTimeoutMs: number;
  private readonly emulator: boolean;

  constructor(options: GooglePubSubBrokerOptions) {
    // The emulator needs no credentials; naming the universe stops the client from asking the GCE metadata
    // server for it (a network round trip, and a warning, on every client).
    const endpoint = options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true, universeDomain: 'googleapis.com' } : {};
    this.client = new (pubsubDriver().PubSub)({ projectId: options.projectId, ...endpoint });
    this.createMissing = options.createMissing ?? true;
    this.streams = options.streamsPerSubscription ?? 5;
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.emulator = Boolean(options.emulatorHost);
  }

  async publish(topicName: string, data: Uint8Array, options: PublishOptions = {}): Promise<string> {
    const topic = this.topic(topicName);
    const { orderingKey } = options;
    const message = { data: Buffer.from(data), attributes: { ...options.attributes }, ...(orderingKey ? { orderingKey } : {}) };
    const publishOnce = () =>
      topic.publishMessage(message).catch((error: unknown) => {
        // The library pauses an ordering key after a failed publish until it is resumed.
        if (orderingKey) topic.resumePublishing(orderingKey);
        throw error;
      });
    const publish = () =>
      publishOnce().catch(async (error: unknown) => {
        if (errorCode(error) !== NOT_FOUND || !this.createMissing) throw error;
        // Created before but gone now (an emulator restarted empty): create it again, with the durable
        // subscriptions this client declared on it, since a topic without subscriptions drops what it is sent.
        this.createdTopics.delete(topicName);
        await this.ensureTopic(topicName);
        for (const declared of this.declaredSubscriptions.values()) if (declared.topic === topicName) await this.ensureSubscription(declared);
        return publishOnce();
      });
    return this.bounded(publish(), `publishing to ${topicName}`);
  }

  async subscribe(spec: SubscriptionSpec, onDelivery: (delivery: Delivery) => void, onError: (error: Error) => void): Promise<BrokerSubscription> {
    // Nobody can create an ephemeral subscription beforehand: it is created even with createMissing off.
    if (this.createMissing || spec.ephemeral) await this.bounded(this.ensureSubscription(spec), `creating subscription ${spec.subscription}`);
    if (this.createMissing && !spec.ephemeral) this.declaredSubscriptions.set(spec.subscription, spec);
    const subscription = this.client.subscription(spec.subscription, {
      flowControl: { maxMessages: spec.maxInFlight, allowExcessMessages: false },
      batching: { maxMilliseconds: ACK_BATCH_MS },
      // More streams than in-flight slots would only hold leased messages that another consumer could handle.
      streamingOptions: { maxStreams: Math.min(this.streams, spec.maxInFlight) },
      closeOptions: { behavior: pubsubDriver().SubscriptionCloseBehaviors.WaitForProcessing, timeout: pubsubDriver().Duration.from({ milliseconds: spec.drainTimeoutMs }) },
    });
    subscription.on('message', (message: Message) => onDelivery(toDelivery(message, Date.now())));
    subscription.on('error', onError);
    return { close: () => subscription.close() };
  }

  async deleteSubscription(subscription: string): Promise<void> {
    const deleting = this.client
      .subscription(subscription)
      .delete()
      .then(
        () => undefined,
        (error: unknown) => {
          if (errorCode(error) !== NOT_FOUND) throw error;
        },
      );
    await this.bounded(deleting, `deleting subscription ${subscription}`);
  }

  async ping(): Promise<void> {
    await this.bounded(this.client.getTopics({ pageSize: 1, autoPaginate: false }), 'listing topics');
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private topic(name: string): PubSubTopic {
    let topic = this.topics.get(name);
    // Ordering on: a message with an ordering key is sent after the previous one with that key.
    // Publish batches close after 1 ms instead of the client's 10: feature-update events are on the CDC
    // freshness path (commit -> visible), and no topic here carries enough volume to need bigger batches.
    // Against the emulator the client does not retry a publish itself: a publish retried through an
    // emulator restart can land in a topic that another client has just created again but not yet
    // subscribed, which drops it while reporting success. Failing instead lets the caller declare its
    // subscription again and publish once more (the decision recorder does). Real Pub/Sub topics do not
    // vanish, so there the client's retries stay.
    const retry = this.emulator ? { gaxOpts: { retry: null } } : {};
    if (!topic) this.topics.set(name, (topic = this.client.topic(name, { messageOrdering: true, batching: { maxMilliseconds: 1, maxMessages: 100 }, ...retry })));
    return topic;
  }

  private async ensureSubscription(spec: SubscriptionSpec): Promise<void> {
    if (this.createMissing) {
      await Promise.all([this.ensureTopic(spec.topic), this.ensureTopic(spec.deadLetterTopic)]);
      // Messages published to a topic without subscriptions are lost: this one keeps the dead letters.
      await this.createSubscription(spec.deadLetterTopic, spec.deadLetterTopic, {});
    }
    const common: CreateSubscriptionOptions = {
      ackDeadlineSeconds: 10,
      // Back off redeliveries after a nack instead of retrying a failing message in a tight loop.
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
    };
    if (spec.ephemeral) {
      // No dead-letter policy: a message that crashes the process dies with the subscription, and the
      // policy would need the Pub/Sub service agent granted on every instance's subscription.
      return this.createSubscription(spec.topic, spec.subscription, {
        ...common,
        expirationPolicy: { ttl: { seconds: EPHEMERAL_TTL_SECONDS } },
        messageRetentionDuration: { seconds: EPHEMERAL_RETENTION_SECONDS },
      });
    }
    await this.createSubscription(spec.topic, spec.subscription, {
      ...common,
      // With a dead-letter policy, Pub/Sub counts delivery attempts across consumers (the emulator does not)
      // and forwards a message that no consumer ever finished, e.g. one that crashes the process, once the
      // transport's own limit is passed.
      deadLetterPolicy: {
        deadLetterTopic: this.client.topic(spec.deadLetterTopic).name,
        maxDeliveryAttempts: Math.min(Math.max(spec.maxDeliveries + 1, SERVER_MIN_ATTEMPTS), SERVER_MAX_ATTEMPTS),
      },
    });
  }

  private ensureTopic(name: string): Promise<void> {
    let created = this.createdTopics.get(name);
    if (!created) {
      created = this.client.createTopic(name).then(
        () => undefined,
        (error: unknown) => {
          if (errorCode(error) === ALREADY_EXISTS) return;
          this.createdTopics.delete(name);
          throw error;
        },
      );
      this.createdTopics.set(name, created);
    }
    return created;
  }

  private async createSubscription(topic: string, name: string, metadata: CreateSubscriptionOptions): Promise<void> {
    try {
      await this.client.topic(topic).createSubscription(name, metadata);
    } catch (error) {
      if (errorCode(error) === ALREADY_EXISTS) return;
      // The topic was created by this client and is gone now (an emulator restarted empty): create it again, once.
      if (errorCode(error) !== NOT_FOUND || !this.createMissing || !this.createdTopics.has(topic)) throw error;
      this.createdTopics.delete(topic);
      await this.ensureTopic(topic);
      await this.createSubscription(topic, name, metadata);
    }
  }

  /** Bounds a call in time and reports any failure as MessagingUnavailableError. */
  private async bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    try {
      return await withTimeout(promise, this.callTimeoutMs, `Pub/Sub (${what})`);
    } catch (error) {
      throw new MessagingUnavailableError(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function toDelivery(message: Message, receivedAt: number): Delivery {
  return {
    messageId: message.id,
    data: message.data,
    attributes: message.attributes,
    orderingKey: message.orderingKey || undefined,
    publishTime: new Date(message.publishTime.getTime()),
    deliveryAttempt: message.deliveryAttempt,
    ack: () => message.ack(),
    nack: () => {
      const wait = receivedAt + NACK_NOT_BEFORE_MS - Date.now();
      if (wait > 0) setTimeout(() => message.nack(), wait);
      else message.nack();
    },
  };
}
