import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EntityKey } from '@bnpl/online-store';
import { METER, MetricsRegistry } from '@bnpl/platform';
import { GET_ONLINE_FEATURES } from '../serving.tokens';
import { FeatureUpdateInvalidator, type ChangedEntities } from './feature-update-invalidator';
import { FeatureUpdatesModule } from './feature-updates.module';

const counter = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);

function readPath() {
  const calls: EntityKey[][] = [];
  let failure: Error | undefined;
  return {
    calls,
    failWith: (error: Error) => (failure = error),
    invalidate: (keys: readonly EntityKey[]) => {
      if (failure) throw failure;
      calls.push([...keys]);
    },
  };
}

describe('FeatureUpdateInvalidator', () => {
  it('invalidates exactly the entities the event names, of its entity, and counts them', () => {
    const path = readPath();
    const invalidator = new FeatureUpdateInvalidator(path);
    invalidator.invalidate({ entity: 'customer', entityIds: ['42', '9007199254740993', '42'] });
    invalidator.invalidate({ entity: 'merchant', entityIds: ['7'] });
    expect(path.calls).toEqual([
      [
        { entity: 'customer', id: '42' },
        { entity: 'customer', id: '9007199254740993' },
        { entity: 'customer', id: '42' },
      ],
      [{ entity: 'merchant', id: '7' }],
    ]);
    expect(invalidator.stats()).toEqual({ events: 2, keys: 4 });
  });
});

/** A transport that only collects the app's handlers, so a test can call them as a transport would. */
class CollectingTransport extends Server implements CustomTransportStrategy {
  listen(callback: () => void): void {
    callback();
  }
  close(): void {
    // nothing to release
  }
  on(): never {
    throw new Error('no events');
  }
  unwrap<T>(): T {
    return undefined as T;
  }
  /** Runs the handler of `pattern` the way PubSubTransport does: a rejected promise or erroring Observable fails. */
  async deliver(pattern: string, payload: unknown): Promise<void> {
    const handler = this.messageHandlers.get(pattern);
    if (!handler?.isEventHandler) throw new Error(`no @EventPattern("${pattern}") handler`);
    const result = await handler(payload, {});
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

describe('FeatureUpdatesModule', () => {
  const topic = { name: 'test.features.updates', decode: (): ChangedEntities => ({ entity: 'customer', entityIds: ['1'] }) };

  async function start() {
    const path = readPath();
    const registry = new MetricsRegistry('test');
    @Global()
    @Module({ providers: [{ provide: METER, useValue: registry.meter }], exports: [METER] })
    class Metrics {}
    @Module({ providers: [{ provide: GET_ONLINE_FEATURES, useValue: path }], exports: [GET_ONLINE_FEATURES] })
    class Serving {}
    @Module({ imports: [Metrics, FeatureUpdatesModule.register({ serving: { module: Serving }, topic })] })
    class App {}
    const transport = new CollectingTransport();
    const app = await NestFactory.createMicroservice(App, { strategy: transport, logger: false });
    await app.listen();
    return { path, registry, transport, close: async () => (await app.close(), await registry.shutdown()) };
  }

  it("handles the topic's events with the app's read path and counts them on the app's meter", async () => {
    const { path, registry, transport, close } = await start();
    try {
      await transport.deliver(topic.name, { entity: 'customer', entityIds: ['1', '2'], featureViews: [], eventTime: new Date() });
      await transport.deliver(topic.name, { entity: 'merchant', entityIds: ['3'], featureViews: ['merchant_risk'], eventTime: new Date() });
      expect(path.calls).toEqual([
        [
          { entity: 'customer', id: '1' },
          { entity: 'customer', id: '2' },
        ],
        [{ entity: 'merchant', id: '3' }],
      ]);
      const text = await registry.render();
      expect(counter(text, 'bnpl_serving_feature_update_events_total')).toBe(2);
      expect(counter(text, 'bnpl_serving_invalidated_keys_total')).toBe(3);
    } finally {
      await close();
    }
  });

  it("hands a handler's own error to the transport, not to the app's filters", async () => {
    const { path, transport, close } = await start();
    try {
      path.failWith(new Error('cache broken'));
      await expect(transport.deliver(topic.name, { entity: 'customer', entityIds: ['1'] })).rejects.toThrow('cache broken');
    } finally {
      await close();
    }
  });
});
