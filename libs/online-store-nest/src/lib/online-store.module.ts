import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { type Catalog } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, L1CachedOnlineStore, ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { RedisOnlineStore } from '@bnpl/online-store-redis';
import { FEATURE_CATALOG, METER, type ReadinessCheck } from '@bnpl/platform';
import { InstrumentedOnlineStore } from './instrumented-online-store';
import { registerOnlineStoreMetrics } from './online-store-metrics';
import { type OnlineStoreOptions } from './online-store-options';

/** A ReadinessCheck named `online-store`. */
export const ONLINE_STORE_READINESS = Symbol('ONLINE_STORE_READINESS');

/**
 * The one place an adapter is chosen from options. `catalog` gives the views' feature order and types
 * (the stored encoding); every process reading or writing the same store must use the same catalog.
 * With `options.l1`, the store is wrapped in an L1CachedOnlineStore. Each layer is instrumented (spans
 * inside sampled traces, counters of the backend): see InstrumentedOnlineStore.
 */
export function createOnlineStore(options: OnlineStoreOptions, catalog: Catalog): OnlineStore {
  return buildOnlineStore(options, catalog).store;
}

/** The store callers use, and its backend layer (whose counters are the backend's own hits and writes). */
function buildOnlineStore(options: OnlineStoreOptions, catalog: Catalog): { store: OnlineStore; backend: InstrumentedOnlineStore } {
  const inner = createBackend(options, catalog);
  const backend = new InstrumentedOnlineStore(inner, inner.kind, true);
  if (!options.l1) return { store: backend, backend };
  const viewEntities = new Map(catalog.views.map((view) => [view.name, view.entity.name]));
  return { store: new InstrumentedOnlineStore(new L1CachedOnlineStore(backend, { ...options.l1, viewEntities }), 'l1', false), backend };
}

function createBackend(options: OnlineStoreOptions, catalog: Catalog): OnlineStore {
  switch (options.type) {
    case 'redis':
      return RedisOnlineStore.standalone(options.url, { catalog, ...(options.tlsCa ? { tlsCa: options.tlsCa } : {}) });
    case 'redis-cluster':
      return RedisOnlineStore.cluster(options.nodes, { catalog });
    case 'redis-sentinel':
      return RedisOnlineStore.sentinel(options.sentinels, options.name, { catalog });
    case 'memory':
      return new InMemoryOnlineStore({ catalog, namespace: options.namespace });
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
        {
          provide: ONLINE_STORE,
          // The app's catalog (CatalogModule) gives the stored encoding: every process sharing a store uses the same one.
          useFactory: async (catalog: Catalog, meter: Meter | undefined, ...args: never[]) => {
            const { store, backend } = buildOnlineStore(await options.useFactory(...args), catalog);
            if (meter) registerOnlineStoreMetrics(meter, backend);
            return store;
          },
          // METER: the app's metrics (MetricsModule), when it has them.
          inject: [FEATURE_CATALOG, { token: METER, optional: true }, ...(options.inject ?? [])],
        },
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
