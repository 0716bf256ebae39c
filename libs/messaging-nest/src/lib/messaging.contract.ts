import { randomUUID } from 'node:crypto';
import { Controller, Logger, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Delivery, MessageBroker } from '@bnpl/messaging';
import { Messaging } from './messaging';
import { featureUpdatesTopic, type FeatureUpdate } from '@bnpl/messaging';
import { jobProgressTopic, type JobProgress } from '@bnpl/messaging';
import { jobRequestsTopic, type JobRequest } from '@bnpl/messaging';
import type { Topic } from '@bnpl/messaging';
import { DEAD_LETTER_ATTRIBUTES, deadLetterTopicOf } from './transport/dead-letter';
import { MessageContext } from './transport/message-context';
import { MessageHandlerExceptionFilter } from './transport/message-handler-exception.filter';
import type { PubSubTransport, SubscriptionBinding } from './transport/pubsub-transport';

/** What a contract run needs from an adapter's spec. */
export interface MessagingContractSubject {
  /** A new client of the backend, as one process would hold; several are open at once in some tests. */
  openBroker(): MessageBroker;
  /** Stops whatever the subject started. */
  dispose(): Promise<void>;
}

type Handler<T> = (payload: T, context: MessageContext) => Promise<void>;

/**
 * The delivery contract of the messaging lib (typed topics, MessagePublisher, PubSubTransport over a
 * MessageBroker), run against every backend by its spec:
 * `describeMessagingContract('memory', async () => ({ openBroker: () => new InMemoryBroker(...), dispose }))`.
 */
export function describeMessagingContract(name: string, setup: () => Promise<MessagingContractSubject>): void {
  describe(`messaging contract: ${name}`, () => {
    let subject: MessagingContractSubject;
    const brokers: MessageBroker[] = [];
    const closers: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      // The transport logs every redelivery and dead letter, which these tests cause on purpose.
      Logger.overrideLogger(false);
      subject = await setup();
    });

    afterEach(async () => {
      await Promise.all(closers.splice(0).map((close) => close()));
      await Promise.all(brokers.splice(0).map((b) => b.close()));
    });

    afterAll(async () => {
      await subject?.dispose();
    });

    /** A messaging client of its own, as a separate process would have. */
    function open(consumer: { maxDeliveries?: number; drainTimeoutMs?: number } = {}): Messaging {
      const broker = subject.openBroker();
      brokers.push(broker);
      return new Messaging(broker, { drainTimeoutMs: 2_000, ...consumer });
    }

    async function consume<T>(
      messaging: Messaging,
      topic: Topic<T>,
      subscription: string,
      handler: Handler<T>,
      maxInFlight = 10,
      binding: Pick<SubscriptionBinding, 'ephemeral' | 'deadLetterTopic'> = {},
    ): Promise<PubSubTransport> {
      const transport = messaging.transport([{ topic, subscription, maxInFlight, ...binding }]);
      transport.addHandler(topic.name, (payload: T, context: MessageContext) => handler(payload, context), true);
      await listen(transport);
      closers.push(() => transport.close());
      return transport;
    }

    /** Collects the dead letters of `subscription` (sent to `dlq`). */
    async function deadLetters(messaging: Messaging, subscription: string, dlq = deadLetterTopicOf(subscription)): Promise<Delivery[]> {
      const received: Delivery[] = [];
      const spec = { topic: dlq, subscription: dlq, deadLetterTopic: `${dlq}.dlq`, maxDeliveries: 5, maxInFlight: 100, drainTimeoutMs: 1_000 };
      const sub = await messaging.broker.subscribe(
        spec,
        (d) => (received.push(d), d.ack()),
        (error) => {
          throw error;
        },
      );
      closers.push(() => sub.close());
      return received;
    }

    it('delivers typed payloads of every topic, decoded, with their message id, attributes, ordering key and publish time', async () => {
      const messaging = open();
      const cases: Array<[Topic<unknown>, unknown]> = [
        [renamed(featureUpdatesTopic), featureUpdate(1)],
        [renamed(jobRequestsTopic), jobRequest(1)],
        [renamed(jobProgressTopic), jobProgress(1)],
      ];
      for (const [topic, payload] of cases) {
        const received: Array<[unknown, MessageContext]> = [];
        await consume(messaging, topic, subscriptionName(), async (p, c) => void received.push([p, c]));
        const before = Date.now();
        const id = await messaging.publisher.publish(topic, payload, { attributes: { origin: 'contract' }, orderingKey: 'customer-1' });
        await waitFor(() => received.length === 1, `a ${topic.messageType} message`);
        const [got, context] = received[0];
        expect(got).toEqual(payload);
        expect(context.getMessageId()).toBe(id);
        expect(context.getTopic()).toBe(topic.name);
        expect(context.getAttributes()).toEqual({ origin: 'contract' });
        expect(context.getOrderingKey()).toBe('customer-1');
        expect(context.getSubscription()).toMatch(/^contract-sub-/);
        expect(context.getDeliveryAttempt()).toBe(1);
        expect(Math.abs(context.getPublishTime().getTime() - before)).toBeLessThan(5_000);
      }
    });

    it('gives every subscription of a topic every message published after it exists', async () => {
      const messaging = open();
      const topic = renamed(jobProgressTopic);
      await messaging.publisher.publish(topic, jobProgress(0)); // before any subscription: dropped
      const [a, b]: number[][] = [[], []];
      await consume(messaging, topic, subscriptionName(), async (p) => void a.push(p.rowsDone));
      await consume(messaging, topic, subscriptionName(), async (p) => void b.push(p.rowsDone));
      for (let i = 1; i <= 3; i++) await messaging.publisher.publish(topic, jobProgress(i));
      await waitFor(() => a.length === 3 && b.length === 3, 'three messages on each subscription');
      await sleep(200);
      expect(a.sort()).toEqual([1, 2, 3]);
      expect(b.sort()).toEqual([1, 2, 3]);
    });

    it('acks only once the handler has resolved: an unfinished message is redelivered when its consumer stops', async () => {
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const first = open({ drainTimeoutMs: 300 });
      let started = 0;
      const transport = await consume(first, topic, subscription, () => (started++, new Promise<void>(() => undefined)));
      await first.publisher.publish(topic, jobRequest(7));
      await waitFor(() => started === 1, 'the first delivery');
      await sleep(300);
      expect(started).toBe(1); // not redelivered while its handler runs
      await transport.close();

      const second = open();
      const redelivered: JobRequest[] = [];
      await consume(second, topic, subscription, async (p) => void redelivered.push(p));
      await waitFor(() => redelivered.length === 1, 'the redelivery');
      expect(redelivered[0]).toEqual(jobRequest(7));
    });

    it('redelivers a message whose handler throws (nack), with a growing delivery attempt, until it succeeds', async () => {
      const messaging = open({ maxDeliveries: 5 });
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const attempts: number[] = [];
      const dead = await deadLetters(messaging, subscription);
      await consume(messaging, topic, subscription, async (_, context) => {
        attempts.push(context.getDeliveryAttempt());
        if (attempts.length < 3) throw new Error('not yet');
      });
      await messaging.publisher.publish(topic, jobRequest(1));
      await waitFor(() => attempts.length === 3, 'three deliveries');
      await sleep(300);
      expect(attempts).toEqual([1, 2, 3]);
      expect(dead).toHaveLength(0);
    });

    it('moves a poison message to <subscription>.dlq after maxDeliveries, with the error, while later messages flow', async () => {
      const messaging = open({ maxDeliveries: 3 });
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const dead = await deadLetters(messaging, subscription);
      let poisonDeliveries = 0;
      const handled: number[] = [];
      // One handler at a time: the poison message holds the only slot whenever it is delivered.
      await consume(
        messaging,
        topic,
        subscription,
        async (p) => {
          if (p.shard.index === 0) {
            poisonDeliveries++;
            throw new Error('shard 0 cannot be computed');
          }
          handled.push(p.shard.index);
        },
        1,
      );
      const poisonId = await messaging.publisher.publish(topic, jobRequest(0), { attributes: { origin: 'contract' } });
      for (let i = 1; i <= 5; i++) await messaging.publisher.publish(topic, jobRequest(i));

      await waitFor(() => handled.length === 5 && dead.length === 1, 'the good messages and one dead letter');
      await sleep(300);
      expect(handled.sort()).toEqual([1, 2, 3, 4, 5]);
      expect(poisonDeliveries).toBe(3);
      expect(dead).toHaveLength(1);
      const [letter] = dead;
      expect(jobRequestsTopic.decode(letter.data)).toEqual(jobRequest(0));
      expect(letter.attributes).toMatchObject({
        origin: 'contract',
        [DEAD_LETTER_ATTRIBUTES.reason]: 'HANDLER_FAILED',
        [DEAD_LETTER_ATTRIBUTES.error]: 'shard 0 cannot be computed',
        [DEAD_LETTER_ATTRIBUTES.topic]: topic.name,
        [DEAD_LETTER_ATTRIBUTES.subscription]: subscription,
        [DEAD_LETTER_ATTRIBUTES.messageId]: poisonId,
        [DEAD_LETTER_ATTRIBUTES.deliveryAttempts]: '3',
      });
    });

    it('moves a message that does not decode straight to the dead-letter topic, never to the handler', async () => {
      const messaging = open({ maxDeliveries: 3 });
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const dead = await deadLetters(messaging, subscription);
      const handled: JobRequest[] = [];
      await consume(messaging, topic, subscription, async (p) => void handled.push(p));
      await messaging.broker.publish(topic.name, Uint8Array.from([0xff, 0xff, 0xff])); // not protobuf
      await messaging.broker.publish(topic.name, new Uint8Array()); // protobuf, but no job id, kind...
      await messaging.publisher.publish(topic, jobRequest(1));

      await waitFor(() => handled.length === 1 && dead.length === 2, 'one good message and two dead letters');
      expect(handled).toEqual([jobRequest(1)]);
      for (const letter of dead) {
        expect(letter.attributes[DEAD_LETTER_ATTRIBUTES.reason]).toBe('UNDECODABLE');
        expect(letter.attributes[DEAD_LETTER_ATTRIBUTES.deliveryAttempts]).toBe('1');
        expect(letter.attributes[DEAD_LETTER_ATTRIBUTES.error]).toMatch(/Invalid payload for topic/);
      }
    });

    it('shares the messages of one subscription between its consumers, each handled once', async () => {
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const byConsumer: number[][] = [[], []];
      for (const mine of byConsumer) {
        await consume(open(), topic, subscription, async (p) => (mine.push(p.shard.index), sleep(20)), 2);
      }
      const publisher = open().publisher;
      const count = 30;
      await Promise.all(Array.from({ length: count }, (_, i) => publisher.publish(topic, jobRequest(i))));
      await waitFor(() => byConsumer[0].length + byConsumer[1].length >= count, `${count} messages`);
      await sleep(300);
      const all = [...byConsumer[0], ...byConsumer[1]].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(byConsumer[0].length).toBeGreaterThan(0);
      expect(byConsumer[1].length).toBeGreaterThan(0);
    });

    it('closes gracefully: waits for running handlers, acks their messages, and takes no new ones', async () => {
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      const messaging = open({ drainTimeoutMs: 5_000 });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = false;
      const done: number[] = [];
      const transport = await consume(messaging, topic, subscription, async (p) => {
        started = true;
        await gate;
        done.push(p.shard.index);
      });
      await messaging.publisher.publish(topic, jobRequest(1));
      await waitFor(() => started, 'the handler to start');

      let closed = false;
      const closing = transport.close().then(() => (closed = true));
      await sleep(200);
      expect(closed).toBe(false); // still waiting for the handler
      release();
      await closing;
      expect(done).toEqual([1]);

      const later: number[] = [];
      await consume(open(), topic, subscription, async (p) => void later.push(p.shard.index));
      await sleep(700);
      expect(later).toEqual([]); // acked before close resolved: never redelivered
    });

    it('deletes an ephemeral subscription when its transport closes: what is published afterwards is kept for nobody', async () => {
      const messaging = open();
      const topic = renamed(jobRequestsTopic);
      const [ephemeral, durable] = [subscriptionName(), subscriptionName()];
      const before: number[] = [];
      const ephemeralTransport = await consume(messaging, topic, ephemeral, async (p) => void before.push(p.shard.index), 10, { ephemeral: true });
      const durableTransport = await consume(messaging, topic, durable, async () => undefined);
      await messaging.publisher.publish(topic, jobRequest(1));
      await waitFor(() => before.length === 1, 'the first message on the ephemeral subscription');
      await Promise.all([ephemeralTransport.close(), durableTransport.close()]);

      await messaging.publisher.publish(topic, jobRequest(2)); // while neither is consumed
      const [again, kept]: number[][] = [[], []];
      await consume(messaging, topic, durable, async (p) => void kept.push(p.shard.index));
      await consume(messaging, topic, ephemeral, async (p) => void again.push(p.shard.index), 10, { ephemeral: true });
      await waitFor(() => kept.length === 1, 'the durable subscription to deliver what it kept');
      await messaging.publisher.publish(topic, jobRequest(3));
      await waitFor(() => again.length === 1 && kept.length === 2, 'the message published after the ephemeral subscription came back');
      await sleep(300);
      expect(kept).toEqual([2, 3]);
      expect(again).toEqual([3]); // a new subscription of the old name: message 2 was never kept for it
      expect(before).toEqual([1]);
    });

    it('deletes a subscription on request, and one that does not exist without complaint', async () => {
      const messaging = open();
      const topic = renamed(jobRequestsTopic);
      const subscription = subscriptionName();
      await (await consume(messaging, topic, subscription, async () => undefined)).close();
      await messaging.broker.deleteSubscription(subscription);
      await expect(messaging.broker.deleteSubscription(subscription)).resolves.toBeUndefined();
      await messaging.publisher.publish(topic, jobRequest(1)); // dropped: no subscription
      const received: number[] = [];
      await consume(messaging, topic, subscription, async (p) => void received.push(p.shard.index));
      await sleep(500);
      expect(received).toEqual([]);
    });

    it('dead-letters undecodable messages of ephemeral subscriptions to the dead-letter topic they share', async () => {
      const messaging = open();
      const topic = renamed(featureUpdatesTopic);
      const shared = `${subscriptionName()}.dlq`;
      const dead = await deadLetters(messaging, 'unused', shared);
      const handled: FeatureUpdate[][] = [[], []];
      const instances = [subscriptionName(), subscriptionName()];
      for (const [i, subscription] of instances.entries()) {
        await consume(messaging, topic, subscription, async (p) => void handled[i].push(p), 10, { ephemeral: true, deadLetterTopic: shared });
      }
      await messaging.broker.publish(topic.name, Uint8Array.from([0xff, 0xff, 0xff]));
      await messaging.publisher.publish(topic, featureUpdate(1));
      await waitFor(() => handled[0].length === 1 && handled[1].length === 1 && dead.length === 2, 'the update on each instance and a dead letter from each');
      expect(handled).toEqual([[featureUpdate(1)], [featureUpdate(1)]]);
      expect(dead.map((letter) => letter.attributes[DEAD_LETTER_ATTRIBUTES.subscription]).sort()).toEqual([...instances].sort());
      expect(dead.every((letter) => letter.attributes[DEAD_LETTER_ATTRIBUTES.reason] === 'UNDECODABLE')).toBe(true);
    });

    it('runs @EventPattern handlers of a Nest microservice, and a thrown error reaches the dead letter', async () => {
      const messaging = open({ maxDeliveries: 2 });
      const topic = renamed(featureUpdatesTopic);
      const subscription = subscriptionName();
      const dead = await deadLetters(messaging, subscription);
      const seen: Array<{ update: FeatureUpdate; messageId: string }> = [];

      @Controller()
      @UseFilters(MessageHandlerExceptionFilter)
      class UpdatesController {
        @EventPattern(topic.name)
        async onUpdate(@Payload() update: FeatureUpdate, @Ctx() context: MessageContext): Promise<void> {
          if (update.entityIds.includes('13')) throw new Error('unlucky entity 13');
          seen.push({ update, messageId: context.getMessageId() });
        }
      }
      @Module({ controllers: [UpdatesController] })
      class UpdatesModule {}

      const app = await NestFactory.createMicroservice(UpdatesModule, { strategy: messaging.transport([{ topic, subscription }]), logger: false });
      await app.listen();
      try {
        const id = await messaging.publisher.publish(topic, featureUpdate(1));
        await messaging.publisher.publish(topic, featureUpdate(13));
        await waitFor(() => seen.length === 1 && dead.length === 1, 'one update handled and one dead letter');
        expect(seen[0]).toEqual({ update: featureUpdate(1), messageId: id });
        expect(dead[0].attributes[DEAD_LETTER_ATTRIBUTES.error]).toBe('unlucky entity 13');
      } finally {
        await app.close();
      }
    });
  });
}

function listen(transport: PubSubTransport): Promise<void> {
  return new Promise((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
}

/** A topic with the codec of `topic` and a name of its own, so that tests never see each other's messages. */
function renamed<T>(topic: Topic<T>): Topic<T> {
  return { ...topic, name: `contract-${topic.name}-${randomUUID().slice(0, 8)}` };
}

function subscriptionName(): string {
  return `contract-sub-${randomUUID().slice(0, 8)}`;
}

function featureUpdate(id: number): FeatureUpdate {
  return { entity: 'customer', entityIds: [String(id), '9007199254740993'], featureViews: ['customer_exposure'], eventTime: new Date('2025-03-01T10:00:00.123Z'), sourceLsn: 2n ** 63n + BigInt(id) };
}

function jobRequest(shard: number): JobRequest {
  return {
    jobId: 'job-1',
    kind: 'BACKFILL',
    entity: 'customer',
    featureViews: ['customer_exposure', 'customer_spending'],
    asOf: new Date('2025-02-01T00:00:00Z'),
    timeRange: { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2025-02-01T00:00:00Z') },
    shard: { index: shard, count: 100, firstId: String(shard * 1000 + 1), lastId: String((shard + 1) * 1000) },
    attempt: 1,
  };
}

function jobProgress(rows: number): JobProgress {
  return { jobId: 'job-1', state: 'RUNNING', shardsTotal: 8, shardsDone: 3, rowsDone: rows, reportTime: new Date('2025-03-01T10:00:00Z'), shard: { index: 3, attempt: 2, state: 'DONE', rowsDone: 1_000 } };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
