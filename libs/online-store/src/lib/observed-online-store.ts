import { randomUUID } from 'node:crypto';
import type { Catalog } from '@bnpl/feature-definitions';
import { OnlineStoreUnavailableError } from './errors/online-store-unavailable.error';
import { InMemoryOnlineStore } from './in-memory-online-store';
import { isCachingOnlineStore, type CachingOnlineStore, type OnlineStoreCacheStats } from './l1-cached-online-store';
import type { EntityKey, OnlineRow, OnlineStore, StoredView, WriteOptions, WriteResult } from './online-store.port';

/** How a recorded call ended so far. */
export type ObservedCallOutcome = 'pending' | 'fulfilled' | 'rejected';

interface CallState {
  /** `pending` until the call settles; `invalidate` (synchronous) is recorded already settled. */
  readonly outcome: ObservedCallOutcome;
  /** What the call rejected with (or threw, for `invalidate`). */
  readonly error?: unknown;
}

/** A call's method and arguments (copied when the call was made). */
export type ObservedCallArgs =
  | { readonly method: 'read'; readonly keys: readonly EntityKey[]; readonly views: readonly string[] }
  | { readonly method: 'write'; readonly rows: readonly OnlineRow[]; readonly options?: WriteOptions }
  | { readonly method: 'delete'; readonly keys: readonly EntityKey[] }
  | { readonly method: 'invalidate'; readonly keys: readonly EntityKey[] }
  | { readonly method: 'writeStreamWatermark'; readonly appliedThrough: Date }
  | { readonly method: 'readStreamWatermark' }
  | { readonly method: 'ping' }
  | { readonly method: 'close' };

/** One call made through an ObservedOnlineStore: its arguments and how it ended so far. */
export type ObservedCall = CallState & ObservedCallArgs;

export type ObservedMethod = ObservedCall['method'];

/** What `writeError` may hold: an error for every write, or one chosen per write (undefined lets it through). */
export type WriteFault = Error | ((rows: readonly OnlineRow[]) => Error | undefined);

export type ObservedOnlineStoreOptions = (
  | {
      /** The store to observe. Its data, validation and errors are what callers get. */
      readonly inner: OnlineStore;
    }
  | {
      /** Observe a fresh InMemoryOnlineStore over this catalog, in a namespace of its own (no data shared). */
      readonly catalog: Catalog;
    }
) & {
  /**
   * Called with each call as it is made (before it reaches the inner store), to interleave the store's
   * calls with other test doubles' logs. The record's `outcome` is updated in place when the call settles.
   */
  readonly onCall?: (call: ObservedCall) => void;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The port's optional methods and the caching decorator's: present here exactly when the inner store has them. */
const OPTIONAL_METHODS = ['writeStreamWatermark', 'readStreamWatermark', 'invalidate', 'cacheStats'] as const;

/**
 * A test decorator over any OnlineStore, for unit tests of code that uses the port (the read path, the
 * streaming and batch writers, parity checks): it records every call and injects faults, and leaves all
 * storage behaviour (if-newer writes, tiles, the stream watermark, TTL-agnostic reads, errors for unknown
 * views and malformed ids) to the store it wraps, by default a fresh `InMemoryOnlineStore`. It is not a
 * backend: it never stores anything itself, so tests see what a real adapter does.
 *
 * Faults, each on until turned off:
 * - `down`: every call but `close` and `invalidate` rejects with `OnlineStoreUnavailableError` without
 *   reaching the inner store, as a backend that cannot be reached does. (A real backend would still raise
 *   its input validation errors first; while down, this one raises unavailability for everything.)
 * - `writeError`: `write` rejects with it, or with what it returns for the rows given.
 * - `hold()` ... `release()`: calls made while held wait (already recorded) until released, to look at
 *   the caller while a call is in flight, or to make a call slower than its caller's timeout.
 * - `failOver(store)`: later calls go to another store, as after a failover to a lagging replica or a
 *   restore from backup (older rows, an older or no stream watermark).
 *
 * The optional methods (`writeStreamWatermark`, `readStreamWatermark`, and the caching decorator's
 * `invalidate` and `cacheStats`) exist exactly when the inner store has them, so `isCachingOnlineStore`
 * and "does this store keep a watermark" answer as for the inner store. Arrange data through `inner`
 * (e.g. `store.inner.write(rows)`) to keep it out of the call log.
 */
export class ObservedOnlineStore implements OnlineStore {
  /** Every call so far, in the order made. */
  readonly calls: ObservedCall[] = [];
  /** While true, calls reject with OnlineStoreUnavailableError (see the class TSDoc). */
  down = false;
  /** The detail of the `down` rejections, as a driver would word it. */
  downDetail = 'connection refused';
  /** When set, `write` rejects with it (or with what it returns for the rows; undefined lets the write through). */
  writeError: WriteFault | null = null;

  declare readonly writeStreamWatermark?: (appliedThrough: Date) => Promise<void>;
  declare readonly readStreamWatermark?: () => Promise<Date | null>;
  /** Present when the inner store caches: records the call, then passes it on. Never faulted (it is in-process). */
  declare readonly invalidate?: (keys: readonly EntityKey[]) => void;
  declare readonly cacheStats?: () => OnlineStoreCacheStats;

  #inner: OnlineStore;
  #gate: { promise: Promise<void>; open(): void } | null = null;
  readonly #onCall?: (call: ObservedCall) => void;

  constructor(options: ObservedOnlineStoreOptions) {
    this.#inner = 'inner' in options ? options.inner : new InMemoryOnlineStore({ catalog: options.catalog, namespace: `observed-${randomUUID()}` });
    this.#onCall = options.onCall;
    const self = this as Mutable<ObservedOnlineStore>;
    if (this.#inner.writeStreamWatermark) {
      self.writeStreamWatermark = (appliedThrough) =>
        this.#call({ method: 'writeStreamWatermark', appliedThrough }, (inner) => required(inner.writeStreamWatermark).call(inner, appliedThrough));
    }
    if (this.#inner.readStreamWatermark) {
      self.readStreamWatermark = () => this.#call({ method: 'readStreamWatermark' }, (inner) => required(inner.readStreamWatermark).call(inner));
    }
    if (isCachingOnlineStore(this.#inner)) {
      self.invalidate = (keys) => {
        const call = this.#record({ method: 'invalidate', keys: [...keys] });
        try {
          caching(this.#inner).invalidate(keys);
          call.outcome = 'fulfilled';
        } catch (error) {
          call.outcome = 'rejected';
          call.error = error;
          throw error;
        }
      };
      self.cacheStats = () => caching(this.#inner).cacheStats();
    }
  }

  /** The store calls go to (after `failOver`, the one failed over to). */
  get inner(): OnlineStore {
    return this.#inner;
  }

  /** The inner store's kind: the decorator is invisible in logs and health output. */
  get kind(): string {
    return this.#inner.kind;
  }

  /** Arguments of every `read` call, failed and pending ones included. */
  get reads(): Array<{ keys: readonly EntityKey[]; views: readonly string[] }> {
    return this.callsOf('read').map(({ keys, views }) => ({ keys, views }));
  }

  /** Arguments of every `write` call, failed and pending ones included (`callsOf('write', 'fulfilled')` for the others). */
  get writes(): Array<{ rows: readonly OnlineRow[]; options?: WriteOptions }> {
    return this.callsOf('write').map(({ rows, options }) => ({ rows, options }));
  }

  /** Keys of every `delete` call, failed and pending ones included. */
  get deletes(): Array<readonly EntityKey[]> {
    return this.callsOf('delete').map((call) => call.keys);
  }

  /** Keys of every `invalidate` call (only a store over a caching one has `invalidate`). */
  get invalidations(): Array<readonly EntityKey[]> {
    return this.callsOf('invalidate').map((call) => call.keys);
  }

  /** The recorded calls of one method, optionally only those with the given outcome. */
  callsOf<M extends ObservedMethod>(method: M, outcome?: ObservedCallOutcome): Array<Extract<ObservedCall, { method: M }>> {
    return this.calls.filter((call): call is Extract<ObservedCall, { method: M }> => call.method === method && (outcome === undefined || call.outcome === outcome));
  }

  /** Holds every call made from now on (they are recorded first) until `release()`. */
  hold(): void {
    if (this.#gate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#gate = { promise, open };
  }

  /** Lets the held calls go on, in the order they were made; later calls are not held. */
  release(): void {
    this.#gate?.open();
    this.#gate = null;
  }

  /**
   * Sends every later call to `store` instead (a failover, a restored backup). The store must have the
   * optional methods this one exposes; calls in flight finish on the store they started on.
   */
  failOver(store: OnlineStore): void {
    const missing = OPTIONAL_METHODS.filter((m) => typeof this[m] === 'function' && typeof (store as Partial<CachingOnlineStore>)[m] !== 'function');
    if (missing.length > 0) throw new TypeError(`Cannot fail over to a ${store.kind} store: it lacks ${missing.join(', ')}`);
    this.#inner = store;
  }

  read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    return this.#call({ method: 'read', keys: [...keys], views: [...views] }, (inner) => inner.read(keys, views));
  }

  write(rows: readonly OnlineRow[], options?: WriteOptions): Promise<WriteResult> {
    return this.#call({ method: 'write', rows: [...rows], ...(options === undefined ? {} : { options }) }, (inner) => {
      const fault = typeof this.writeError === 'function' ? this.writeError(rows) : this.writeError;
      if (fault) throw fault;
      return inner.write(rows, options);
    });
  }

  delete(keys: readonly EntityKey[]): Promise<void> {
    return this.#call({ method: 'delete', keys: [...keys] }, (inner) => inner.delete(keys));
  }

  ping(): Promise<void> {
    return this.#call({ method: 'ping' }, (inner) => inner.ping());
  }

  /** Closes the inner store. Neither held nor faulted: releasing a connection needs no backend. */
  async close(): Promise<void> {
    const call = this.#record({ method: 'close' });
    await this.#settle(call, () => this.#inner.close());
  }

  #record(args: ObservedCallArgs): Mutable<CallState> {
    const call: ObservedCall = { ...args, outcome: 'pending' };
    this.calls.push(call);
    this.#onCall?.(call);
    return call as Mutable<CallState>;
  }

  /** Records the call, waits at the gate, applies `down`, then runs `run` against the inner store. */
  async #call<T>(args: ObservedCallArgs, run: (inner: OnlineStore) => Promise<T>): Promise<T> {
    const recorded = this.#record(args);
    return this.#settle(recorded, async () => {
      const gate = this.#gate;
      if (gate) await gate.promise;
      if (this.down) throw new OnlineStoreUnavailableError(this.#inner.kind, this.downDetail);
      return run(this.#inner);
    });
  }

  async #settle<T>(call: Mutable<CallState>, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      call.outcome = 'fulfilled';
      return result;
    } catch (error) {
      call.outcome = 'rejected';
      call.error = error;
      throw error;
    }
  }
}

// The optional methods were present when observed, and `failOver` only accepts stores that have them too.
function required<F>(method: F | undefined): F {
  if (!method) throw new TypeError('the inner store lacks a method it had when observed');
  return method;
}

function caching(store: OnlineStore): CachingOnlineStore {
  if (!isCachingOnlineStore(store)) throw new TypeError(`the inner ${store.kind} store does not cache`);
  return store;
}
