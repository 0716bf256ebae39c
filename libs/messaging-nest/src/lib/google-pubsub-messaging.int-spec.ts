import { PubSub } from '@google-cloud/pubsub';
import { Logger, type LoggerService } from '@nestjs/common';
import { freePort, startPubSubEmulator, type RunningPubSubEmulator } from '@bnpl/service-launchers';
import { MessagingUnavailableError } from '@bnpl/messaging';
import { Messaging } from '../lib/messaging';
import { featureUpdatesTopic } from '@bnpl/messaging';
import { jobRequestsTopic, type JobRequest } from '@bnpl/messaging';
import type { PubSubTransport } from '../lib/transport/pubsub-transport';
import { describeMessagingContract } from '../lib/messaging.contract';
import { GooglePubSubBroker } from '@bnpl/messaging-pubsub';

describeMessagingContract('Google Pub/Sub (emulator)', async () => {
  const emulator = await startPubSubEmulator({ projectId: 'bnpl-contract' });
  return {
    openBroker: () => new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host }),
    dispose: () => emulator.stop(),
  };
});

describe('GooglePubSubBroker', () => {
  let emulator: RunningPubSubEmulator;
  let admin: PubSub;

  beforeAll(async () => {
    emulator = await startPubSubEmulator({ projectId: 'bnpl-adapter' });
    admin = new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true, universeDomain: 'googleapis.com' });
  });

  afterAll(async () => {
    await admin?.close();
    await emulator?.stop();
  });

  const spec = (subscription: string) => ({ topic: `${subscription}-topic`, subscription, deadLetterTopic: `${subscription}.dlq`, maxDeliveries: 7, maxInFlight: 4, drainTimeoutMs: 1_000 });

  it('creates the topic, the subscription with its dead-letter and retry policies, and a subscription keeping the dead letters', async () => {
    const broker = new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host });
    try {
      const subscription = await broker.subscribe(spec('created'), () => undefined, () => undefined);
      await subscription.close();
      const [metadata] = await admin.subscription('created').getMetadata();
      expect(metadata.topic).toBe(`projects/${emulator.projectId}/topics/created-topic`);
      expect(metadata.ackDeadlineSeconds).toBe(10);
      expect(metadata.deadLetterPolicy).toMatchObject({ deadLetterTopic: `projects/${emulator.projectId}/topics/created.dlq`, maxDeliveryAttempts: 8 });
      expect(metadata.retryPolicy?.minimumBackoff?.seconds).toBe('1');
      const [dlq] = await admin.subscription('created.dlq').getMetadata();
      expect(dlq.topic).toBe(`projects/${emulator.projectId}/topics/created.dlq`);
      // Subscribing again (another process, a restart) finds them in place.
      await (await broker.subscribe(spec('created'), () => undefined, () => undefined)).close();
    } finally {
      await broker.close();
    }
  });

  it('creates an ephemeral subscription that expires after a day unused and keeps messages an hour, and deletes it when its transport closes', async () => {
    const messaging = new Messaging(new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host }));
    const transport = messaging.transport([{ topic: { ...featureUpdatesTopic, name: 'ephemeral-updates' }, subscription: 'serving.feature-updates.host-1-abc', ephemeral: true, deadLetterTopic: 'serving.feature-updates.dlq' }]);
    transport.addHandler('ephemeral-updates', async () => undefined, true);
    try {
      await listen(transport);
      const [metadata] = await admin.subscription('serving.feature-updates.host-1-abc').getMetadata();
      expect(metadata.topic).toBe(`projects/${emulator.projectId}/topics/ephemeral-updates`);
      expect(metadata.expirationPolicy?.ttl?.seconds).toBe(String(24 * 3600));
      expect(metadata.messageRetentionDuration?.seconds).toBe('3600');
      expect(metadata.deadLetterPolicy).toBeNull();
      expect(metadata.retryPolicy?.minimumBackoff?.seconds).toBe('1');
      // Its dead letters go to the shared topic, kept by a subscription of the same name.
      const [dlq] = await admin.subscription('serving.feature-updates.dlq').getMetadata();
      expect(dlq.topic).toBe(`projects/${emulator.projectId}/topics/serving.feature-updates.dlq`);
      expect(dlq.expirationPolicy?.ttl).toBeFalsy();

      await transport.close();
      expect((await admin.subscription('serving.feature-updates.host-1-abc').exists())[0]).toBe(false);
      expect((await admin.subscription('serving.feature-updates.dlq').exists())[0]).toBe(true);
    } finally {
      await transport.close();
      await messaging.close();
    }
  });

  it('creates an ephemeral subscription even with createMissing off, and deletes subscriptions, missing ones included', async () => {
    await admin.createTopic('preexisting-topic');
    const broker = new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host, createMissing: false });
    try {
      const subscription = await broker.subscribe({ ...spec('ephemeral-no-create'), topic: 'preexisting-topic', ephemeral: true }, () => undefined, () => undefined);
      await subscription.close();
      expect((await admin.subscription('ephemeral-no-create').exists())[0]).toBe(true);
      expect((await admin.topic('ephemeral-no-create.dlq').exists())[0]).toBe(false); // createMissing off: only the subscription
      await broker.deleteSubscription('ephemeral-no-create');
      expect((await admin.subscription('ephemeral-no-create').exists())[0]).toBe(false);
      await expect(broker.deleteSubscription('ephemeral-no-create')).resolves.toBeUndefined();
    } finally {
      await broker.close();
    }
  });

  it('closes a transport within its time bounds when its ephemeral subscription cannot be deleted, and logs why', async () => {
    const doomed = await startPubSubEmulator({ projectId: 'bnpl-doomed-ephemeral' });
    const warnings: string[] = [];
    const capture: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: string) => void warnings.push(message) };
    Logger.overrideLogger(capture);
    const messaging = new Messaging(new GooglePubSubBroker({ projectId: doomed.projectId, emulatorHost: doomed.host, callTimeoutMs: 1_000 }), { drainTimeoutMs: 500 });
    const transport = messaging.transport([{ topic: featureUpdatesTopic, subscription: 'doomed.feature-updates.host-1-abc', ephemeral: true, deadLetterTopic: 'doomed.feature-updates.dlq' }]);
    transport.addHandler(featureUpdatesTopic.name, async () => undefined, true);
    try {
      await listen(transport);
      await doomed.kill();
      const started = Date.now();
      await expect(transport.close()).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(warnings).toContainEqual(expect.stringMatching(/Ephemeral subscription doomed\.feature-updates\.host-1-abc could not be deleted/));
    } finally {
      Logger.overrideLogger(false);
      await messaging.close();
    }
  });

  it('creates a missing topic on the first publish, with or without an ordering key', async () => {
    const broker = new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host });
    try {
      await expect(broker.publish('created-on-publish', Buffer.from('x'))).resolves.toMatch(/./);
      await expect(broker.publish('created-on-ordered-publish', Buffer.from('x'), { orderingKey: 'customer-1' })).resolves.toMatch(/./);
      await expect(broker.publish('created-on-ordered-publish', Buffer.from('y'), { orderingKey: 'customer-1' })).resolves.toMatch(/./);
      const [exists] = await admin.topic('created-on-ordered-publish').exists();
      expect(exists).toBe(true);
    } finally {
      await broker.close();
    }
  });

  it('with createMissing off, neither creates nor publishes to a missing topic', async () => {
    const broker = new GooglePubSubBroker({ projectId: emulator.projectId, emulatorHost: emulator.host, createMissing: false });
    try {
      await expect(broker.publish('never-created', Buffer.from('x'))).rejects.toBeInstanceOf(MessagingUnavailableError);
      const [exists] = await admin.topic('never-created').exists();
      expect(exists).toBe(false);
    } finally {
      await broker.close();
    }
  });

  it('answers ping while the emulator runs, and fails within its call timeout when it is gone', async () => {
    const doomed = await startPubSubEmulator({ projectId: 'bnpl-doomed' });
    const broker = new GooglePubSubBroker({ projectId: doomed.projectId, emulatorHost: doomed.host, callTimeoutMs: 1_000 });
    try {
      await expect(broker.ping()).resolves.toBeUndefined();
      await doomed.kill();
      const started = Date.now();
      await expect(broker.ping()).rejects.toMatchObject({ reason: 'MESSAGING_UNAVAILABLE' });
      await expect(broker.publish('any', Buffer.from('x'))).rejects.toBeInstanceOf(MessagingUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await broker.close();
    }
  });

  it('starts consuming once an emulator that was down at start comes up', async () => {
    Logger.overrideLogger(false);
    const port = await freePort();
    const messaging = new Messaging(new GooglePubSubBroker({ projectId: 'bnpl-late', emulatorHost: `127.0.0.1:${port}`, callTimeoutMs: 500 }));
    const received: JobRequest[] = [];
    const transport = messaging.transport([{ topic: jobRequestsTopic, subscription: 'late-start' }]);
    transport.addHandler(jobRequestsTopic.name, async (request: JobRequest) => void received.push(request), true);
    let late: RunningPubSubEmulator | undefined;
    try {
      const started = Date.now();
      await new Promise<void>((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
      expect(Date.now() - started).toBeLessThan(2_000); // listening, not hanging: retrying in the background
      late = await startPubSubEmulator({ port, projectId: 'bnpl-late' });
      const lateAdmin = new PubSub({ projectId: 'bnpl-late', apiEndpoint: late.host, emulatorMode: true, universeDomain: 'googleapis.com' });
      for (let i = 0; i < 100 && !(await lateAdmin.subscription('late-start').exists())[0]; i++) await new Promise((r) => setTimeout(r, 100));
      await lateAdmin.close();
      const request: JobRequest = { jobId: 'late', kind: 'MATERIALIZE_FULL', entity: 'customer', featureViews: ['customer_profile'], asOf: new Date(), shard: { index: 0, count: 1, firstId: '1', lastId: '1' }, attempt: 1 };
      await messaging.publisher.publish(jobRequestsTopic, request);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toEqual([request]);
    } finally {
      await transport.close();
      await messaging.close();
      await late?.stop();
    }
  });
});

function listen(transport: PubSubTransport): Promise<void> {
  return new Promise((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
}
