// Public API of @bnpl/offline-store-nest: the NestJS wiring of the offline store; the backend is chosen by `type`.
export { OfflineStoreModule, OFFLINE_STORE_READINESS, createOfflineStore, type OfflineStoreModuleAsyncOptions, type OfflineStoreOptions } from './lib/offline-store.module';
