// Public API of @bnpl/online-store-nest: the NestJS wiring of the online store. An app picks the backend
// by options (`type`), validated from its environment by the schema here.
export { OnlineStoreModule, ONLINE_STORE_READINESS, createOnlineStore, type OnlineStoreModuleAsyncOptions } from './lib/online-store.module';
export { type OnlineStoreBackendOptions, type OnlineStoreCommonOptions, type OnlineStoreOptions } from './lib/online-store-options';
export { checkOnlineStoreEnv, l1MaxEntries, onlineStoreEnvSchema, toOnlineStoreOptions } from './lib/online-store-env';
