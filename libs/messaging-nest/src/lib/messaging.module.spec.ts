import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ReadinessCheck } from '@bnpl/platform';
import { MESSAGE_PUBLISHER, type MessagePublisher } from '@bnpl/messaging';
import { Messaging, createMessaging } from './messaging';
import { MESSAGING, MESSAGING_READINESS, MessagingModule } from './messaging.module';
import { jobProgressTopic } from '@bnpl/messaging';

describe('MessagingModule', () => {
  it('provides the publisher, the messaging client and a readiness check, and closes the client on shutdown', async () => {
    const CONFIG = Symbol('CONFIG');
    @Module({ providers: [{ provide: CONFIG, useValue: { namespace: randomUUID() } }], exports: [CONFIG] })
    class ConfigModule {}

    const app = await NestFactory.createApplicationContext(
      MessagingModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: (config: { namespace: string }) => ({ type: 'memory', namespace: config.namespace }) }),
      { logger: false },
    );
    const messaging = app.get<Messaging>(MESSAGING);
    const readiness = app.get<ReadinessCheck>(MESSAGING_READINESS);
    expect(messaging).toBeInstanceOf(Messaging);
    expect(app.get<MessagePublisher>(MESSAGE_PUBLISHER)).toBe(messaging.publisher);
    expect(readiness.name).toBe('messaging');
    await expect(readiness.check()).resolves.toEqual({ kind: 'memory' });
    await expect(messaging.publisher.publish(jobProgressTopic, { jobId: 'j', state: 'PENDING', shardsTotal: 0, shardsDone: 0, rowsDone: 0, reportTime: new Date() })).resolves.toMatch(/^\d+$/);

    await app.close();
    await expect(readiness.check()).rejects.toMatchObject({ reason: 'MESSAGING_UNAVAILABLE' });
  });

  it('chooses the backend from the options', async () => {
    const pubsub = createMessaging({ type: 'pubsub', projectId: 'bnpl-test', emulatorHost: '127.0.0.1:9' });
    const memory = createMessaging({ type: 'memory', namespace: randomUUID() });
    expect([pubsub.broker.kind, memory.broker.kind]).toEqual(['pubsub', 'memory']);
    await Promise.all([pubsub.close(), memory.close()]);
  });
});
