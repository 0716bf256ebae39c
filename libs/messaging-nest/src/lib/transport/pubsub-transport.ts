import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { MessageBroker } from '@bnpl/messaging';
import type { Topic } from '@bnpl/messaging';
import { type ConsumerStats } from './consumer-stats';
import { SubscriptionConsumer, type ConsumerHandler } from './subscription-consumer';

/** Which subscription feeds the `@EventPattern(topic.name)` handler. */
export interface SubscriptionBinding {
  readonly topic: Topic<unknown>;
  /**
   * Processes consuming the same subscription share its messages (a work queue: job shards); a
   * subscription per process gives each process every message (fan-out: cache invalidation).
   */
  readonly subscription: string;
  /** Handlers running at once for this subscription, in this process (default 10). */
  readonly maxInFlight?: number;
  /**
   * The subscription belongs to this process (fan-out: give each process a name of its own). It is created
   * at start, deleted when the transport closes (best effort, bounded by the backend's call timeout; a
   * failure is logged), and on Google Pub/Sub expires after a day unused, so that a process that dies
   * without closing leaves nothing behind for long. Default false.
   */
  readonly ephemeral?: boolean;
  /**
   * Where messages that exhaust their deliveries or do not decode go; default `<subscription>.dlq`. Give
   * ephemeral subscriptions one shared topic: each would otherwise leave a dead-letter topic behind.
   */
  readonly deadLetterTopic?: string;
}

/**
 * Nest's id of this transport: handlers bound to another one (`@GrpcMethod` is bound to Transport.GRPC)
 * are not handed to it, so that one app can host a gRPC server and this transport side by side.
 */
const PUBSUB_TRANSPORT = Symbol('PubSubTransport');

export interface PubSubTransportOptions {
  readonly subscriptions: readonly SubscriptionBinding[];
  /** Deliveries of a message whose handler fails before it is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** How long close() waits for running handlers before leaving their messages to be redelivered (default 10 s). */
  readonly drainTimeoutMs?: number;
  /** Where the consumers count what became of each message (the process's messaging metrics). */
  readonly stats?: ConsumerStats;
}

/**
 * A NestJS transport strategy over a MessageBroker (Google Pub/Sub or the in-process bus), so that apps
 * consume topics with `@EventPattern(jobRequestsTopic.name)` handlers taking the decoded payload
 * (`@Payload()`) and a MessageContext (`@Ctx()`):
 *
 *   app.connectMicroservice({ strategy: messaging.transport([{ topic: jobRequestsTopic, subscription: 'batch-processor.jobs' }]) });
 *
 * A handler's success acks the message; a throw (or an Observable that errors) nacks it for redelivery;
 * see SubscriptionConsumer for bounded redelivery, dead letters, and a backend that is down at start.
 * Every handler needs a binding and every binding a handler: listen() fails otherwise, naming them.
 */
export class PubSubTransport extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(PubSubTransport.name);
  private consumers: SubscriptionConsumer[] = [];

  constructor(
    private readonly broker: MessageBroker,
    private readonly options: PubSubTransportOptions,
  ) {
    super();
    this.setTransportId(PUBSUB_TRANSPORT);
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }

  /** Not supported: failures of subscriptions are logged. */
  on(): never {
    throw new Error('PubSubTransport emits no events');
  }

  /** The MessageBroker. */
  unwrap<T>(): T {
    return this.broker as T;
  }

  private async start(): Promise<void> {
    this.consumers = this.checkBindings().map(
      (binding) =>
        new SubscriptionConsumer(
          this.broker,
          {
            topic: binding.topic,
            subscription: binding.subscription,
            maxInFlight: binding.maxInFlight ?? 10,
            ephemeral: binding.ephemeral ?? false,
            deadLetterTopic: binding.deadLetterTopic,
            maxDeliveries: this.options.maxDeliveries ?? 5,
            drainTimeoutMs: this.options.drainTimeoutMs ?? 10_000,
            logger: this.logger,
            ...(this.options.stats ? { stats: this.options.stats } : {}),
          },
          this.handlerOf(binding.topic.name),
        ),
    );
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  private checkBindings(): readonly SubscriptionBinding[] {
    const { subscriptions } = this.options;
    const bound = new Set(subscriptions.map((binding) => binding.topic.name));
    const problems = [
      ...[...this.messageHandlers].filter(([, handler]) => !handler.isEventHandler).map(([pattern]) => `"${pattern}" is a @MessagePattern: this transport carries events only (@EventPattern)`),
      ...[...this.messageHandlers.keys()].filter((pattern) => !bound.has(pattern)).map((pattern) => `@EventPattern("${pattern}") has no subscription binding`),
      ...subscriptions.filter((binding) => !this.messageHandlers.has(binding.topic.name)).map((binding) => `subscription ${binding.subscription} has no @EventPattern("${binding.topic.name}") handler`),
      ...[...bound].filter((name) => subscriptions.filter((binding) => binding.topic.name === name).length > 1).map((name) => `topic ${name} is bound twice`),
    ];
    if (problems.length) throw new Error(`PubSubTransport: ${problems.join('; ')}`);
    return subscriptions;
  }

  private handlerOf(pattern: string): ConsumerHandler {
    const handler = this.messageHandlers.get(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    return async (payload, context) => {
      const result = await handler(payload, context);
      // Nest returns an Observable from handlers that return one, and from exception filters (which emit
      // the error): wait for it to complete, and let its error reject.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    };
  }
}
