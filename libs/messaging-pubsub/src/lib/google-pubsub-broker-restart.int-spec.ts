import { startPubSubEmulator, type RunningPubSubEmulator } from '@bnpl/service-launchers';
import type { Delivery } from '@bnpl/messaging';
import { GooglePubSubBroker } from './google-pubsub-broker';

const spec = { topic: 'restart.topic', subscription: 'restart.sub', deadLetterTopic: 'restart.sub.dlq', maxDeliveries: 5, maxInFlight: 10, drainTimeoutMs: 1_000 };

async function received(broker: GooglePubSubBroker, expected: string): Promise<void> {
  const got: string[] = [];
  const subscription = await broker.subscribe(spec, (d: Delivery) => (got.push(Buffer.from(d.data).toString()), d.ack()), () => undefined);
  const deadline = Date.now() + 10_000;
  while (!got.includes(expected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await subscription.close();
  expect(got).toContain(expected);
}

// An emulator keeps everything in memory: after a restart its topics and subscriptions are gone. The broker
// creates them again (a topic it had created before included) rather than failing on NOT_FOUND for good.
describe('GooglePubSubBroker across an emulator restart', () => {
  let emulator: RunningPubSubEmulator;
  afterEach(() => emulator?.stop());

  it('creates its topic and subscription again, and delivers what is published afterwards', async () => {
    emulator = await startPubSubEmulator();
    const broker = new GooglePubSubBroker({ projectId: 'bnpl-restart', emulatorHost: emulator.host });
    try {
      await (await broker.subscribe(spec, () => undefined, () => undefined)).close();
      await broker.publish(spec.topic, Buffer.from('before'));
      await received(broker, 'before');

      await emulator.stop();
      emulator = await startPubSubEmulator({ port: emulator.port });

      // The subscription first (it keeps what follows), then the publish: both see NOT_FOUND and create again.
      await (await broker.subscribe(spec, () => undefined, () => undefined)).close();
      await broker.publish(spec.topic, Buffer.from('after'));
      await received(broker, 'after');
    } finally {
      await broker.close();
    }
  });

  it('a client that only publishes recreates, with the topic, the subscription it declared: what it publishes after the restart is kept', async () => {
    emulator = await startPubSubEmulator();
    const publisher = new GooglePubSubBroker({ projectId: 'bnpl-restart', emulatorHost: emulator.host });
    try {
      await (await publisher.subscribe(spec, () => undefined, () => undefined)).close();
      await publisher.publish(spec.topic, Buffer.from('before'));

      await emulator.stop();
      emulator = await startPubSubEmulator({ port: emulator.port });

      // Only a publish: its NOT_FOUND recreates the topic; without the subscription, 'after' would be dropped.
      await publisher.publish(spec.topic, Buffer.from('after'));
      const consumer = new GooglePubSubBroker({ projectId: 'bnpl-restart', emulatorHost: emulator.host, createMissing: false });
      try {
        await received(consumer, 'after');
      } finally {
        await consumer.close();
      }
    } finally {
      await publisher.close();
    }
  });
});
