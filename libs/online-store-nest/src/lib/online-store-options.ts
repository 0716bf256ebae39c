import type { L1CacheOptions } from '@bnpl/online-store';

/** Backend selected by `type`, like Feast's online_store config; `createOnlineStore` maps each to its adapter. */
export type OnlineStoreBackendOptions =
  /** `tlsCa`: PEM CA certificates verifying a `rediss://` server under a private CA. */
  | { type: 'redis'; url: string; tlsCa?: Buffer }
  | { type: 'redis-cluster'; nodes: Array<{ host: string; port: number }> }
  | { type: 'redis-sentinel'; sentinels: Array<{ host: string; port: number }>; name: string }
  | { type: 'memory'; namespace?: string };

/** Options common to every backend. */
export interface OnlineStoreCommonOptions {
  /** An in-process L1 cache in front of the backend; none when absent. */
  readonly l1?: L1CacheOptions;
}

export type OnlineStoreOptions = OnlineStoreBackendOptions & OnlineStoreCommonOptions;
