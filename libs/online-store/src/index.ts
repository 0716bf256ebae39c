// Public API of @bnpl/online-store: the OnlineStore port, its errors, the in-memory reference adapter, the
// L1 cache decorator, the stored-value codec every backend shares, the contract suite every adapter runs, and
// ObservedOnlineStore, the recording and fault-injecting decorator for tests of code that uses the port.
// No driver and no framework: backends live in @bnpl/online-store-<driver>, Nest wiring in @bnpl/online-store-nest.
export {
  ONLINE_STORE,
  type EntityKey,
  type OnlineRow,
  type OnlineStore,
  type StoredView,
  type WriteMode,
  type WriteOptions,
  type WriteResult,
} from './lib/online-store.port';
export { OnlineStoreUnavailableError } from './lib/errors/online-store-unavailable.error';
export { InvalidOnlineRowError } from './lib/errors/invalid-online-row.error';
export { CorruptStoredValueError } from './lib/errors/corrupt-stored-value.error';
export {
  L1CachedOnlineStore,
  isCachingOnlineStore,
  type CachingOnlineStore,
  type L1CacheOptions,
  type L1CacheStats,
  type OnlineStoreCacheStats,
} from './lib/l1-cached-online-store';
export { InMemoryOnlineStore, type InMemoryOnlineStoreOptions } from './lib/in-memory-online-store';
export {
  ObservedOnlineStore,
  type ObservedCall,
  type ObservedCallArgs,
  type ObservedCallOutcome,
  type ObservedMethod,
  type ObservedOnlineStoreOptions,
  type WriteFault,
} from './lib/observed-online-store';
export { StoredViewCodec } from './lib/stored-view.codec';
export { entityTag } from './lib/entity-key';
export { contractCatalog, describeOnlineStoreContract } from './lib/online-store.contract';
