import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, GrpcMethod } from '@nestjs/microservices';
import { InMemoryBroker } from '@bnpl/messaging';
import { jobProgressTopic } from '@bnpl/messaging';
import { jobRequestsTopic } from '@bnpl/messaging';
import { PubSubTransport, type SubscriptionBinding } from './pubsub-transport';

function listen(transport: PubSubTransport): Promise<void> {
  return new Promise((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
}

describe('PubSubTransport', () => {
  const broker = new InMemoryBroker({ namespace: randomUUID() });
  const handler = async () => undefined;
  const transport = (subscriptions: SubscriptionBinding[], events: string[], requests: string[] = []) => {
    const t = new PubSubTransport(broker, { subscriptions });
    for (const pattern of events) t.addHandler(pattern, handler, true);
    for (const pattern of requests) t.addHandler(pattern, handler, false);
    return t;
  };

  afterAll(() => broker.close());

  it('refuses to listen unless every handler has a subscription and every subscription a handler, naming each', async () => {
    await expect(listen(transport([], [jobRequestsTopic.name]))).rejects.toThrow('@EventPattern("bnpl.jobs.requests") has no subscription binding');
    await expect(listen(transport([{ topic: jobProgressTopic, subscription: 'cli' }], []))).rejects.toThrow('subscription cli has no @EventPattern("bnpl.jobs.progress") handler');
    await expect(
      listen(
        transport(
          [
            { topic: jobRequestsTopic, subscription: 'a' },
            { topic: jobRequestsTopic, subscription: 'b' },
          ],
          [jobRequestsTopic.name],
        ),
      ),
    ).rejects.toThrow('topic bnpl.jobs.requests is bound twice');
  });

  it('refuses request-response handlers: it carries events only', async () => {
    await expect(listen(transport([{ topic: jobRequestsTopic, subscription: 'a' }], [], [jobRequestsTopic.name]))).rejects.toThrow(
      '"bnpl.jobs.requests" is a @MessagePattern: this transport carries events only (@EventPattern)',
    );
  });

  it('leaves handlers bound to another transport (gRPC) alone, so that one app can host both', async () => {
    @Controller()
    class Mixed {
      @EventPattern(jobRequestsTopic.name)
      onJob(): void {
        // consumed
      }
      @GrpcMethod('FeatureServingService', 'GetCatalog')
      getCatalog(): object {
        return {};
      }
    }
    @Module({ controllers: [Mixed] })
    class MixedModule {}
    const strategy = new PubSubTransport(broker, { subscriptions: [{ topic: jobRequestsTopic, subscription: `mixed-${randomUUID()}` }] });
    const app = await NestFactory.createMicroservice(MixedModule, { strategy, logger: false });
    try {
      await expect(app.listen()).resolves.toBeUndefined();
      expect([...strategy.getHandlers().keys()]).toEqual([jobRequestsTopic.name]);
    } finally {
      await app.close();
    }
  });

  it('unwraps to its broker and closes even when never started', async () => {
    const t = transport([], []);
    expect(t.unwrap<InMemoryBroker>()).toBe(broker);
    await expect(t.close()).resolves.toBeUndefined();
    expect(() => t.on()).toThrow(/no events/);
  });
});
