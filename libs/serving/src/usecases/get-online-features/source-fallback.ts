import { FeatureStoreError, type FeatureRow, type FeatureView, type SourceFeatureReader } from '@bnpl/feature-definitions';
import type { EntityKey, OnlineRow, OnlineStore } from '@bnpl/online-store';
import { LRUCache } from 'lru-cache';
import type CircuitBreaker from 'opossum';
import { breakerState, createBreaker, logBreakerTransitions, type BreakerOptions, type BreakerState } from '../../internal/circuit-breaker';
import { describeError, type ServingLogger } from '../../internal/serving-logger';
import type { PairValue } from './assemble-results';

export interface SourceFallbackOptions {
  /** Timeout of one source read (one view, many entities). Default 2 000 ms; `breaker.timeoutMs` overrides it. */
  readonly timeoutMs?: number;
  readonly breaker?: BreakerOptions;
  /** How long "this entity does not exist" is remembered, in ms. Default 5 000; 0 turns the negative cache off. */
  readonly negativeCacheTtlMs?: number;
  /** Most remembered unknown (view, entity) pairs. Default 100 000. */
  readonly negativeCacheMaxEntries?: number;
  readonly logger: ServingLogger;
}

/** Counters since construction; see GetOnlineFeaturesStats for their meaning. */
export interface SourceFallbackStats {
  readonly negativeCacheHits: number;
  readonly sourceReads: number;
  readonly sourceEntities: number;
  readonly sourceSharedEntities: number;
  readonly sourceFailures: number;
  readonly refilledRows: number;
  readonly refillFailures: number;
}

/**
 * The source half of a read: pairs the online store lacks (or all of them while it is down) computed from
 * the source, behind a circuit breaker, one `readView` per view and call.
 *
 * - Single flight: a pair already being read joins that read instead of starting another, so a burst of
 *   requests for one new customer costs one query.
 * - Negative cache: an entity the source does not know is remembered for `negativeCacheTtlMs`, so
 *   repeated reads of an unknown id (a new customer, a probing client) do not each cost a query; `forget`
 *   drops it at once (feature-update events).
 * - Refill: rows it read are written back to the online store in the background (`if-newer`, so a fresher
 *   streamed row is never replaced); `drain` waits for those writes.
 */
export class SourceFallback {
  readonly #breaker: CircuitBreaker<[string, readonly string[], Date], Array<FeatureRow | null>>;
  readonly #logger: ServingLogger;
  /** Source reads in flight, by `view \0 id`: concurrent misses of one pair share one query. */
  readonly #inFlight = new Map<string, Promise<PairValue>>();
  readonly #pendingRefills = new Set<Promise<void>>();
  /** Pairs (`view \0 id`) the source recently said do not exist. */
  readonly #unknown: LRUCache<string, true> | null;
  readonly #counters = {
    negativeCacheHits: 0,
    sourceReads: 0,
    sourceEntities: 0,
    sourceSharedEntities: 0,
    sourceFailures: 0,
    refilledRows: 0,
    refillFailures: 0,
  };

  /** `views`: every stored view of the catalog, to find an entity's pairs in `forget`. */
  constructor(
    source: SourceFeatureReader,
    private readonly store: OnlineStore,
    private readonly views: readonly FeatureView[],
    options: SourceFallbackOptions,
  ) {
    this.#logger = options.logger;
    const negativeTtl = options.negativeCacheTtlMs ?? 5_000;
    this.#unknown = negativeTtl > 0 ? new LRUCache<string, true>({ max: options.negativeCacheMaxEntries ?? 100_000, ttl: negativeTtl, ttlAutopurge: false }) : null;
    // Only availability problems trip the breaker; a FeatureStoreError (a source value out of range) says
    // nothing about the source's health.
    this.#breaker = createBreaker(
      'source',
      (view: string, ids: readonly string[], asOf: Date) => source.readView(view, ids, asOf),
      { timeoutMs: options.timeoutMs, ...options.breaker },
      { timeoutMs: 2_000, resetTimeoutMs: 5_000 },
      (e) => e instanceof FeatureStoreError,
    );
    logBreakerTransitions(this.#breaker, 'source', this.#logger);
  }

  /**
   * One view's rows for `ids` as of `asOf`, in the order of `ids`: null for an entity the source does not
   * have (or the negative cache remembers so). Refills the online store with what this call read when
   * `refill` (not while the store is down). Starts its source read before returning.
   * Rejects with the source's error (or the breaker's: timeout, open) when the read fails.
   */
  read(view: FeatureView, ids: readonly string[], asOf: Date, refill: boolean): Promise<PairValue[]> {
    const toRead: string[] = [];
    for (const id of ids) {
      if (this.#unknown?.has(flightKey(view.name, id))) this.#counters.negativeCacheHits++;
      else toRead.push(id);
    }
    if (toRead.length === ids.length) return this.#readShared(view, ids, asOf, refill);
    const read = toRead.length > 0 ? this.#readShared(view, toRead, asOf, refill) : Promise.resolve([]);
    return read.then((values) => {
      const byId = new Map(toRead.map((id, i) => [id, values[i]]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /**
   * Drops what the negative cache holds about these entities (every view of theirs), so that the next read
   * asks the source. Called on feature-update events.
   */
  forget(keys: readonly EntityKey[]): void {
    if (!this.#unknown || this.#unknown.size === 0) return;
    for (const key of keys) {
      for (const view of this.views) if (view.entity.name === key.entity) this.#unknown.delete(flightKey(view.name, key.id));
    }
  }

  /** Resolves when every refill started so far has settled. */
  async drain(): Promise<void> {
    while (this.#pendingRefills.size > 0) await Promise.all([...this.#pendingRefills]);
  }

  stats(): SourceFallbackStats {
    return { ...this.#counters };
  }

  breakerState(): BreakerState {
    return breakerState(this.#breaker);
  }

  /** Stops the breaker's timers (call `drain` first). Does not close the source or the store. */
  close(): void {
    this.#breaker.shutdown();
  }

  /** `ids` from the source, sharing reads already in flight for the same pairs. */
  #readShared(view: FeatureView, ids: readonly string[], asOf: Date, refill: boolean): Promise<PairValue[]> {
    const fresh: string[] = [];
    for (const id of ids) if (!this.#inFlight.has(flightKey(view.name, id))) fresh.push(id);
    this.#counters.sourceSharedEntities += ids.length - fresh.length;
    if (fresh.length > 0) {
      this.#counters.sourceReads++;
      this.#counters.sourceEntities += fresh.length;
      const batch = this.#breaker.fire(view.name, fresh, asOf).then(
        (rows) =>
          rows.map((values, i): PairValue => {
            if (values) return { values, eventTime: asOf };
            this.#unknown?.set(flightKey(view.name, fresh[i]), true);
            return null;
          }),
        (error: unknown) => {
          this.#counters.sourceFailures++;
          throw error;
        },
      );
      fresh.forEach((id, i) => {
        const key = flightKey(view.name, id);
        const one = batch.then((rows) => rows[i]);
        this.#inFlight.set(key, one);
        const done = () => {
          if (this.#inFlight.get(key) === one) this.#inFlight.delete(key);
        };
        one.then(done, done);
      });
      if (refill) batch.then((rows) => this.#refill(view, fresh, rows), () => undefined);
    }
    return Promise.all(ids.map((id) => this.#inFlight.get(flightKey(view.name, id)) as Promise<PairValue>));
  }

  /** Fire-and-forget write-back; `if-newer` so that it never replaces a fresher streaming value. */
  #refill(view: FeatureView, ids: readonly string[], rows: readonly PairValue[]): void {
    const writes: OnlineRow[] = [];
    ids.forEach((id, i) => {
      const row = rows[i];
      if (row) writes.push({ key: { entity: view.entity.name, id }, view: view.name, values: row.values, eventTime: row.eventTime });
    });
    if (writes.length === 0) return;
    const p: Promise<void> = this.store.write(writes, { mode: 'if-newer' }).then(
      (r) => {
        this.#counters.refilledRows += r.written;
      },
      (error: unknown) => {
        this.#counters.refillFailures++;
        this.#logger.warn(`Online store refill of ${view.name} failed (${writes.length} rows); the read was served from the source`, {
          error: describeError(error),
        });
      },
    );
    this.#pendingRefills.add(p);
    void p.then(() => this.#pendingRefills.delete(p));
  }
}

function flightKey(view: string, id: string): string {
  return `${view}\0${id}`;
}
