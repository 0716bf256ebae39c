/**
 * The online store: the low-latency copy of feature values that the read path serves from.
 *
 * This is the connection-level part of the port (reads and writes are added by the serving work).
 * Contract:
 * - `ping` resolves when the store answers a round trip and rejects with an Error saying what is wrong
 *   otherwise. It must fail fast (no queueing while disconnected); callers bound it with a timeout too.
 * - `close` releases connections; calling anything after it is an error.
 */
export interface OnlineStore {
  /** Which backend this is (`redis`, `redis-cluster`, `memory`), for logs and health output. */
  readonly kind: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const ONLINE_STORE = Symbol('ONLINE_STORE');

/** Selected by `type`, like Feast's online_store config; one file per backend under ../adapters. */
export type OnlineStoreOptions =
  | { type: 'redis'; url: string }
  | { type: 'redis-cluster'; nodes: Array<{ host: string; port: number }> }
  | { type: 'memory'; namespace?: string };
