// The OnlineStore port lives in the domain (@bnpl/feature-definitions) so that the read path, a domain lib,
// can depend on it without importing this adapter lib. Re-exported here so that existing imports keep working.
export {
  ONLINE_STORE,
  OnlineStoreUnavailableError,
  type EntityKey,
  type OnlineRow,
  type OnlineStore,
  type StoredView,
  type WriteMode,
  type WriteOptions,
  type WriteResult,
} from '@bnpl/feature-definitions';

/** The in-process cache in front of a store; see `L1CachedOnlineStore`. */
export interface L1CacheOptions {
  /** Upper bound on cached (entity, view) entries. */
  readonly maxEntries: number;
  /** How long an entry may be served without asking the store, in ms. Keep it short (invalidation is best effort). */
  readonly ttlMs: number;
}

/** Backend selected by `type`, like Feast's online_store config; one file per backend under ../adapters. */
export type OnlineStoreBackendOptions =
  | { type: 'redis'; url: string }
  | { type: 'redis-cluster'; nodes: Array<{ host: string; port: number }> }
  | { type: 'redis-sentinel'; sentinels: Array<{ host: string; port: number }>; name: string }
  | { type: 'memory'; namespace?: string };

/** Options common to every backend. */
export interface OnlineStoreCommonOptions {
  /** An in-process L1 cache in front of the backend; none when absent. */
  readonly l1?: L1CacheOptions;
}

export type OnlineStoreOptions = OnlineStoreBackendOptions & OnlineStoreCommonOptions;
