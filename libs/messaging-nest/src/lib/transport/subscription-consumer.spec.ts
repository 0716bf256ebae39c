import type { LoggerService } from '@nestjs/common';
import type { BrokerSubscription, Delivery, MessageBroker, SubscriptionSpec } from '@bnpl/messaging';
import type { PublishOptions } from '@bnpl/messaging';
import { jobProgressTopic, type JobProgress } from '@bnpl/messaging';
import { ConsumerStats } from './consumer-stats';
import { DEAD_LETTER_ATTRIBUTES } from './dead-letter';
import { SubscriptionConsumer, type ConsumerHandler } from './subscription-consumer';

/** A broker whose deliveries the test makes by hand, recording what the consumer does with them. */
class ScriptedBroker implements MessageBroker {
  readonly kind = 'memory';
  readonly published: Array<{ topic: string; data: Uint8Array; options?: PublishOptions }> = [];
  readonly settled: Array<[string, 'ack' | 'nack']> = [];
  failPublishes = 0;
  failSubscribes = 0;
  subscribeCalls = 0;
  spec?: SubscriptionSpec;
  closed = 0;
  readonly deleted: string[] = [];
  failDeletes = 0;
  private onDelivery: (delivery: Delivery) => void = () => undefined;
  private onError: (error: Error) => void = () => undefined;

  async publish(topic: string, data: Uint8Array, options?: PublishOptions): Promise<string> {
    if (this.failPublishes-- > 0) throw new Error('dead-letter topic unreachable');
    this.published.push({ topic, data, options });
    return String(this.published.length);
  }

  async subscribe(spec: SubscriptionSpec, onDelivery: (delivery: Delivery) => void, onError: (error: Error) => void = () => undefined): Promise<BrokerSubscription> {
    this.subscribeCalls++;
    if (this.failSubscribes-- > 0) throw new Error('backend unreachable');
    this.spec = spec;
    this.onDelivery = onDelivery;
    this.onError = onError;
    return { close: async () => void this.closed++ };
  }

  /** The subscription fails for good, as after an emulator restart (NOT_FOUND). */
  fail(error: Error): void {
    this.onError(error);
  }

  deliver(messageId: string, data: Uint8Array, deliveryAttempt = 0): void {
    this.onDelivery({
      messageId,
      data,
      attributes: { origin: 'test' },
      publishTime: new Date(),
      deliveryAttempt,
      ack: () => void this.settled.push([messageId, 'ack']),
      nack: () => void this.settled.push([messageId, 'nack']),
    });
  }

  async deleteSubscription(subscription: string): Promise<void> {
    if (this.failDeletes-- > 0) throw new Error('deleting timed out');
    this.deleted.push(subscription);
  }

  ping = async (): Promise<void> => undefined;
  close = async (): Promise<void> => undefined;
}

const logger: LoggerService = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const progress: JobProgress = { jobId: 'j', state: 'RUNNING', shardsTotal: 2, shardsDone: 1, rowsDone: 5, reportTime: new Date(0) };
const data = jobProgressTopic.encode(progress);
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function start(handler: ConsumerHandler, overrides: { maxDeliveries?: number; drainTimeoutMs?: number; ephemeral?: boolean; deadLetterTopic?: string; stats?: ConsumerStats } = {}) {
  const broker = new ScriptedBroker();
  const consumer = new SubscriptionConsumer(broker, { topic: jobProgressTopic, subscription: 'cli', maxInFlight: 4, maxDeliveries: 3, drainTimeoutMs: 1_000, logger, ...overrides }, handler);
  await consumer.start();
  return { broker, consumer };
}

describe('SubscriptionConsumer', () => {
  it('subscribes with its dead-letter topic and limits', async () => {
    const { broker } = await start(async () => undefined);
    expect(broker.spec).toEqual({ topic: 'bnpl.jobs.progress', subscription: 'cli', deadLetterTopic: 'cli.dlq', maxDeliveries: 3, maxInFlight: 4, drainTimeoutMs: 1_000 });
  });

  it('subscribes an ephemeral subscription with the dead-letter topic it is given, and deletes it once closed', async () => {
    const { broker, consumer } = await start(async () => undefined, { ephemeral: true, deadLetterTopic: 'shared.dlq' });
    expect(broker.spec).toEqual({ topic: 'bnpl.jobs.progress', subscription: 'cli', deadLetterTopic: 'shared.dlq', maxDeliveries: 3, maxInFlight: 4, drainTimeoutMs: 1_000, ephemeral: true });
    expect(broker.deleted).toEqual([]);
    await consumer.close();
    expect(broker.closed).toBe(1);
    expect(broker.deleted).toEqual(['cli']);
  });

  it('never deletes a subscription that is not ephemeral', async () => {
    const { broker, consumer } = await start(async () => undefined);
    await consumer.close();
    expect(broker.closed).toBe(1);
    expect(broker.deleted).toEqual([]);
  });

  it('logs, and does not throw, when an ephemeral subscription cannot be deleted', async () => {
    const { broker, consumer } = await start(async () => undefined, { ephemeral: true });
    broker.failDeletes = 1;
    await expect(consumer.close()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenLastCalledWith(expect.stringMatching(/Ephemeral subscription cli could not be deleted .*: deleting timed out/));
  });

  it('subscribes again when its subscription fails for good (an emulator restarted empty), once per failure', async () => {
    jest.useFakeTimers();
    try {
      const { broker, consumer } = await start(async () => undefined);
      broker.fail(new Error('5 NOT_FOUND: Subscription does not exist'));
      broker.fail(new Error('5 NOT_FOUND: Subscription does not exist'));
      await jest.advanceTimersByTimeAsync(0);
      expect(logger.error).toHaveBeenLastCalledWith(expect.stringMatching(/Subscription cli stopped, subscribing again in 1000 ms: 5 NOT_FOUND/));
      expect(broker.closed).toBe(1);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(broker.subscribeCalls).toBe(2);
      await consumer.close();
      expect(broker.closed).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps subscribing in the background while the backend cannot be reached, and stops trying once closed', async () => {
    jest.useFakeTimers();
    try {
      const broker = new ScriptedBroker();
      broker.failSubscribes = 2;
      const consumer = new SubscriptionConsumer(broker, { topic: jobProgressTopic, subscription: 'cli', maxInFlight: 1, maxDeliveries: 3, drainTimeoutMs: 10, logger }, async () => undefined);
      await consumer.start();
      expect(broker.spec).toBeUndefined();
      expect(logger.error).toHaveBeenLastCalledWith(expect.stringMatching(/cli could not start, retrying in 1000 ms: backend unreachable/));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(logger.error).toHaveBeenLastCalledWith(expect.stringMatching(/retrying in 2000 ms/));
      await jest.advanceTimersByTimeAsync(2_000);
      expect(broker.spec?.subscription).toBe('cli');
      expect(broker.subscribeCalls).toBe(3);

      const never = new ScriptedBroker();
      never.failSubscribes = Infinity;
      const closed = new SubscriptionConsumer(never, { topic: jobProgressTopic, subscription: 'gone', maxInFlight: 1, maxDeliveries: 3, drainTimeoutMs: 10, logger }, async () => undefined);
      await closed.start();
      await closed.close();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(never.subscribeCalls).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('trusts the backend delivery count when it is ahead of its own (another consumer had the message)', async () => {
    const attempts: number[] = [];
    const { broker } = await start(async (_, context) => {
      attempts.push(context.getDeliveryAttempt());
      throw new Error('no');
    });
    broker.deliver('m1', data, 3);
    await tick();
    expect(attempts).toEqual([3]);
    expect(broker.published.map((p) => p.options?.attributes?.[DEAD_LETTER_ATTRIBUTES.deliveryAttempts])).toEqual(['3']);
    expect(broker.settled).toEqual([['m1', 'ack']]);
  });

  it('nacks a message it could not dead-letter, and dead-letters it on the next delivery', async () => {
    const { broker } = await start(async () => {
      throw new Error('boom');
    }, { maxDeliveries: 1 });
    broker.failPublishes = 1;
    broker.deliver('m1', data);
    await tick();
    expect(broker.settled).toEqual([['m1', 'nack']]);
    expect(broker.published).toHaveLength(0);
    broker.deliver('m1', data);
    await tick();
    expect(broker.settled).toEqual([['m1', 'nack'], ['m1', 'ack']]);
    expect(broker.published).toHaveLength(1);
    expect(broker.published[0].options?.attributes).toMatchObject({ origin: 'test', [DEAD_LETTER_ATTRIBUTES.reason]: 'HANDLER_FAILED', [DEAD_LETTER_ATTRIBUTES.deliveryAttempts]: '2' });
  });

  it('counts each outcome (a failed dead-lettering is a retry) and each dead letter, by topic', async () => {
    const stats = new ConsumerStats();
    let fail = true;
    const { broker } = await start(async () => {
      if (fail) throw new Error('boom');
    }, { maxDeliveries: 2, stats });
    broker.failPublishes = 1;
    for (let i = 0; i < 3; i++) {
      broker.deliver('m1', data);
      await tick();
    }
    fail = false;
    broker.deliver('m2', data);
    broker.deliver('m3', Uint8Array.from([0xff, 0xff]));
    await tick();
    const count = (outcome: string) => stats.outcomes().find((o) => o.outcome === outcome)?.count;
    // m1: retried (attempt 1), dead-lettering failed (retried), then dead-lettered; m2 acked; m3 undecodable.
    expect({ acked: count('acked'), retried: count('retried'), dead: count('dead_lettered') }).toEqual({ acked: 1, retried: 2, dead: 2 });
    expect(stats.deadLetters()).toEqual([
      { topic: 'bnpl.jobs.progress', deadLetterTopic: 'cli.dlq', reason: 'HANDLER_FAILED', count: 1 },
      { topic: 'bnpl.jobs.progress', deadLetterTopic: 'cli.dlq', reason: 'UNDECODABLE', count: 1 },
    ]);
    expect(stats.inFlight()).toEqual([{ topic: 'bnpl.jobs.progress', count: 0 }]);
  });

  it('cuts a long error to fit a Pub/Sub attribute', async () => {
    const { broker } = await start(async () => {
      throw new Error('x'.repeat(5_000));
    }, { maxDeliveries: 1 });
    broker.deliver('m1', data);
    await tick();
    const error = broker.published[0].options?.attributes?.[DEAD_LETTER_ATTRIBUTES.error] ?? '';
    expect(error).toHaveLength(300);
    expect(Buffer.byteLength(error)).toBeLessThanOrEqual(1024);
  });

  it('while closing, nacks new deliveries without running the handler, and stops waiting after the drain timeout', async () => {
    let calls = 0;
    const { broker, consumer } = await start(() => (calls++, new Promise<void>(() => undefined)), { drainTimeoutMs: 50 });
    broker.deliver('m1', data);
    await tick();
    const closing = consumer.close();
    broker.deliver('m2', data);
    await closing;
    expect(calls).toBe(1);
    expect(broker.settled).toEqual([['m2', 'nack']]);
    expect(broker.closed).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/1 handler\(s\) still running after 50 ms/));
  });
});
