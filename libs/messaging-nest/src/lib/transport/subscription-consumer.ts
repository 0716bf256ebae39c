import type { LoggerService } from '@nestjs/common';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { exponentialBackoff } from '@bnpl/feature-definitions';
import type { BrokerSubscription, Delivery, MessageBroker } from '@bnpl/messaging';
import type { Topic } from '@bnpl/messaging';
import { deadLetterAttributes, deadLetterTopicOf, describeError, type DeadLetterReason } from './dead-letter';
import { DeliveryAttempts } from './delivery-attempts';
import { MessageContext } from './message-context';
import { type ConsumerOutcome, type ConsumerStats } from './consumer-stats';

// The OpenTelemetry API only: a no-op while no SDK is registered (tracing off).
const tracer = trace.getTracer('@bnpl/messaging-nest');

/** Subscribing again after a failed start: 1 s, doubling up to 30 s (a backend down for long is retried twice a minute). */
const RESUBSCRIBE_BACKOFF = exponentialBackoff({ initialMs: 1_000, maxMs: 30_000 });

/** Runs a message's handler; resolves when the work is done (durable), rejects when it failed. */
export type ConsumerHandler = (payload: unknown, context: MessageContext) => Promise<void>;

export interface ConsumerSettings {
  readonly topic: Topic<unknown>;
  readonly subscription: string;
  readonly maxInFlight: number;
  readonly maxDeliveries: number;
  readonly drainTimeoutMs: number;
  readonly logger: LoggerService;
  /** Created for this consumer and deleted when it closes (see SubscriptionBinding.ephemeral). */
  readonly ephemeral?: boolean;
  /** Default `<subscription>.dlq`. */
  readonly deadLetterTopic?: string;
  /** Where outcomes are counted (the process's messaging metrics). */
  readonly stats?: ConsumerStats;
}

/**
 * The delivery semantics of one subscription, the same over every backend:
 * - decode the payload; one that does not decode is dead-lettered at once (redelivery cannot fix it);
 * - ack only after the handler's promise resolves, so an acked message's work is done;
 * - a handler that throws gets the message nacked and redelivered, until its delivery attempt reaches
 *   maxDeliveries: then it is published to `<subscription>.dlq` with the error in its attributes, and
 *   acked, so it never holds up the subscription. A dead letter that cannot be published is nacked and
 *   tried again on the next delivery;
 * - close stops taking messages (any still arriving are nacked), waits up to drainTimeoutMs for running
 *   handlers, and leaves the rest to be redelivered; an ephemeral subscription is then deleted, best
 *   effort: a failure is logged (the backend expires it later), never thrown, so that shutdown goes on.
 * A backend that cannot be reached at start does not stop the service: the consumer keeps subscribing in
 * the background (the service's readiness check reports the backend meanwhile).
 *
 * Each delivery is handled inside a consumer span whose parent is the trace context the publisher put in
 * the message's attributes (see BrokerPublisher), so a job's shards and a source change's cache
 * invalidations join the trace that published them, in every process that handles them.
 */
export class SubscriptionConsumer {
  private readonly attempts = new DeliveryAttempts();
  private readonly running = new Set<Promise<void>>();
  private readonly deadLetterTopic: string;
  private subscription?: BrokerSubscription;
  private closing = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly broker: MessageBroker,
    private readonly settings: ConsumerSettings,
    private readonly handler: ConsumerHandler,
  ) {
    this.deadLetterTopic = settings.deadLetterTopic ?? deadLetterTopicOf(settings.subscription);
    settings.stats?.register(settings.topic.name, this.deadLetterTopic);
  }

  /** Resolves once subscribed, or once the first attempt has failed and retries are scheduled. */
  start(): Promise<void> {
    return this.subscribe(0);
  }

  /** `failures`: earlier attempts that failed; they set the wait before the next one. */
  private async subscribe(failures: number): Promise<void> {
    const { topic, subscription, maxInFlight, maxDeliveries, drainTimeoutMs, logger, ephemeral } = this.settings;
    try {
      let stopped = false;
      // Filled in once subscribed: the failure callback may only fire after that.
      const current: { subscription?: BrokerSubscription } = {};
      const subscribed = await this.broker.subscribe(
        { topic: topic.name, subscription, deadLetterTopic: this.deadLetterTopic, maxDeliveries, maxInFlight, drainTimeoutMs, ...(ephemeral ? { ephemeral } : {}) },
        (delivery) => this.receive(delivery),
        (error) => {
          // Once per subscription: the backend may report a failure more than once.
          if (stopped) return;
          stopped = true;
          void this.resubscribe(current.subscription, error);
        },
      );
      current.subscription = subscribed;
      if (this.closing) return void (await this.release(subscribed));
      this.subscription = subscribed;
      logger.log(`Consuming ${topic.name} through ${ephemeral ? 'ephemeral ' : ''}subscription ${subscription}`);
    } catch (error) {
      if (this.closing) return;
      const retryDelayMs = RESUBSCRIBE_BACKOFF(failures);
      logger.error(`Subscription ${subscription} could not start, retrying in ${retryDelayMs} ms: ${describeError(error)}`);
      this.retryTimer = setTimeout(() => void this.subscribe(failures + 1), retryDelayMs);
    }
  }

  /**
   * The subscription failed for good (e.g. it vanished: an emulator restarted empty, or someone deleted
   * it): drop it and subscribe again, which creates it again when missing, so consuming resumes by itself.
   */
  private async resubscribe(failed: BrokerSubscription | undefined, error: Error): Promise<void> {
    const { subscription, logger } = this.settings;
    if (this.closing) return;
    const retryDelayMs = RESUBSCRIBE_BACKOFF(0);
    logger.error(`Subscription ${subscription} stopped, subscribing again in ${retryDelayMs} ms: ${describeError(error)}`);
    if (failed && this.subscription === failed) this.subscription = undefined;
    await failed?.close().catch(() => undefined);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.subscribe(0), retryDelayMs);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retryTimer);
    const { drainTimeoutMs, subscription, logger } = this.settings;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.running]).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!drained) logger.warn(`Subscription ${subscription}: ${this.running.size} handler(s) still running after ${drainTimeoutMs} ms; their messages will be redelivered`);
    const subscribed = this.subscription;
    this.subscription = undefined;
    if (subscribed) await this.release(subscribed);
  }

  /** Closes the subscription, then deletes it if it is ephemeral (even when closing failed). */
  private async release(subscribed: BrokerSubscription): Promise<void> {
    try {
      await subscribed.close();
    } finally {
      if (this.settings.ephemeral) await this.deleteEphemeral();
    }
  }

  private async deleteEphemeral(): Promise<void> {
    const { subscription, logger } = this.settings;
    try {
      await this.broker.deleteSubscription(subscription);
      logger.log(`Deleted ephemeral subscription ${subscription}`);
    } catch (error) {
      logger.warn(`Ephemeral subscription ${subscription} could not be deleted (the backend expires it once unused): ${describeError(error)}`);
    }
  }

  private receive(delivery: Delivery): void {
    if (this.closing) return delivery.nack();
    const task = this.process(delivery).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  private process(delivery: Delivery): Promise<void> {
    const { topic, subscription } = this.settings;
    const parent = propagation.extract(ROOT_CONTEXT, delivery.attributes);
    const attributes = {
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic.name,
      'messaging.destination.subscription.name': subscription,
      'messaging.message.id': delivery.messageId,
    };
    return tracer.startActiveSpan(`process ${topic.name}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
      const stats = this.settings.stats;
      const started = performance.now();
      stats?.started(topic.name);
      let outcome: ConsumerOutcome = 'retried';
      try {
        outcome = await this.handle(delivery, span);
      } finally {
        stats?.finished(topic.name, outcome, (performance.now() - started) / 1000);
        span.end();
      }
    });
  }

  private async handle(delivery: Delivery, span: Span): Promise<ConsumerOutcome> {
    const { topic, subscription, maxDeliveries, logger } = this.settings;
    const attempt = this.attempts.record(delivery);
    span.setAttribute('messaging.gcp_pubsub.message.delivery_attempt', attempt);
    let payload: unknown;
    try {
      payload = topic.decode(delivery.data);
    } catch (error) {
      failed(span, error);
      return this.deadLetter(delivery, attempt, 'UNDECODABLE', error);
    }
    try {
      await this.handler(payload, new MessageContext([{ ...delivery, topic: topic.name, subscription, deliveryAttempt: attempt }]));
    } catch (error) {
      failed(span, error);
      if (attempt >= maxDeliveries) return this.deadLetter(delivery, attempt, 'HANDLER_FAILED', error);
      logger.warn(`Message ${delivery.messageId} on ${subscription} failed (delivery ${attempt} of ${maxDeliveries}), redelivering: ${describeError(error)}`);
      delivery.nack();
      return 'retried';
    }
    this.attempts.forget(delivery.messageId);
    delivery.ack();
    return 'acked';
  }

  /** Moves the message to the dead-letter topic (`dead_lettered`), or nacks it when that fails (`retried`). */
  private async deadLetter(delivery: Delivery, attempt: number, reason: DeadLetterReason, error: unknown): Promise<ConsumerOutcome> {
    const { topic, subscription, logger } = this.settings;
    const attributes = deadLetterAttributes({ ...delivery, topic: topic.name, subscription, deliveryAttempts: attempt, reason, error: describeError(error) });
    try {
      await this.broker.publish(this.deadLetterTopic, delivery.data, { attributes });
    } catch (publishError) {
      logger.error(`Message ${delivery.messageId} on ${subscription} could not be dead-lettered, redelivering: ${describeError(publishError)}`);
      delivery.nack();
      return 'retried';
    }
    this.attempts.forget(delivery.messageId);
    delivery.ack();
    this.settings.stats?.deadLettered(topic.name, this.deadLetterTopic, reason);
    logger.error(`Message ${delivery.messageId} on ${subscription} moved to ${this.deadLetterTopic} after ${attempt} deliveries (${reason}): ${describeError(error)}`);
    return 'dead_lettered';
  }
}

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
}
