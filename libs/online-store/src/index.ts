// Public API of @bnpl/online-store: the OnlineStore port, its adapters and their wiring.
export {
  ONLINE_STORE,
  type EntityKey,
  type L1CacheOptions,
  type OnlineRow,
  type OnlineStore,
  type OnlineStoreBackendOptions,
  type OnlineStoreCommonOptions,
  type OnlineStoreOptions,
  type StoredView,
  type WriteMode,
  type WriteOptions,
  type WriteResult,
  OnlineStoreUnavailableError,
} from './lib/online-store.port';
export { InvalidOnlineRowError } from './lib/errors/invalid-online-row.error';
export { CorruptStoredValueError } from './lib/errors/corrupt-stored-value.error';
export { OnlineStoreModule, ONLINE_STORE_READINESS, createOnlineStore, type OnlineStoreModuleAsyncOptions } from './lib/online-store.module';
export { L1CachedOnlineStore, type L1CacheStats } from './lib/l1-cached-online-store';
export { RedisOnlineStore, defaultKeyTtlSeconds, type RedisOnlineStoreOptions } from './adapters/redis-online-store';
export { InMemoryOnlineStore, type InMemoryOnlineStoreOptions } from './adapters/in-memory-online-store';
export { checkOnlineStoreEnv, l1MaxEntries, onlineStoreEnvSchema, toOnlineStoreOptions } from './lib/online-store-env';
