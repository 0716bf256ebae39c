export { ONLINE_STORE, type OnlineStore, type OnlineStoreOptions } from './lib/online-store.port';
export { OnlineStoreModule, ONLINE_STORE_READINESS, createOnlineStore, type OnlineStoreModuleAsyncOptions } from './lib/online-store.module';
export { RedisOnlineStore } from './adapters/redis-online-store';
export { InMemoryOnlineStore } from './adapters/in-memory-online-store';
export { onlineStoreEnvSchema, toOnlineStoreOptions } from './lib/online-store-env';
