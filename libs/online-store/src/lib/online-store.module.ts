import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { type ReadinessCheck } from '@bnpl/platform';
import { InMemoryOnlineStore } from '../adapters/in-memory-online-store';
import { RedisOnlineStore } from '../adapters/redis-online-store';
import { ONLINE_STORE, type OnlineStore, type OnlineStoreOptions } from './online-store.port';

/** A ReadinessCheck named `online-store`. */
export const ONLINE_STORE_READINESS = Symbol('ONLINE_STORE_READINESS');

/** The one place an adapter is chosen from options. */
export function createOnlineStore(options: OnlineStoreOptions): OnlineStore {
  switch (options.type) {
    case 'redis':
      return RedisOnlineStore.standalone(options.url);
    case 'redis-cluster':
      return RedisOnlineStore.cluster(options.nodes);
    case 'memory':
      return new InMemoryOnlineStore(options.namespace);
  }
}

export interface OnlineStoreModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => OnlineStoreOptions | Promise<OnlineStoreOptions>;
}

class OnlineStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ONLINE_STORE) private readonly store: OnlineStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class OnlineStoreModule {
  static forRootAsync(options: OnlineStoreModuleAsyncOptions): DynamicModule {
    return {
      module: OnlineStoreModule,
      imports: options.imports ?? [],
      providers: [
        { provide: ONLINE_STORE, useFactory: async (...args: never[]) => createOnlineStore(await options.useFactory(...args)), inject: options.inject ?? [] },
        {
          provide: ONLINE_STORE_READINESS,
          useFactory: (store: OnlineStore): ReadinessCheck => ({ name: 'online-store', check: async () => (await store.ping(), { kind: store.kind }) }),
          inject: [ONLINE_STORE],
        },
        OnlineStoreLifecycle,
      ],
      exports: [ONLINE_STORE, ONLINE_STORE_READINESS],
    };
  }
}
