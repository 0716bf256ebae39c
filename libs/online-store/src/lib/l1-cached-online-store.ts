import { LRUCache } from 'lru-cache';
import type { EntityKey, OnlineRow, OnlineStore, StoredView, WriteOptions, WriteResult } from './online-store.port';

/** The in-process cache in front of a store; see `L1CachedOnlineStore`. */
export interface L1CacheOptions {
  /** Upper bound on cached (entity, view) entries. */
  readonly maxEntries: number;
  /** How long an entry may be served without asking the store, in ms. Keep it short (invalidation is best effort). */
  readonly ttlMs: number;
  /**
   * The entity of each view (view name -> entity name). A view of another entity than the key's can hold
   * nothing for it (rows are stored under their own entity): such a cell is answered null without a
   * lookup and is never cached. A read for a customer and a merchant in every view of a service then looks
   * up half the cells. Views not named here are looked up for every key.
   */
  readonly viewEntities?: ReadonlyMap<string, string>;
}

/** Counters of a caching decorator since it was built. `hits + misses` counts (entity, view) lookups. */
export interface OnlineStoreCacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Entries dropped to make room (not expiries nor invalidations). */
  readonly evictions: number;
  /** Entries held now. */
  readonly size: number;
}
export type L1CacheStats = OnlineStoreCacheStats;

/**
 * An online store with a cache in front (a decorator): what the read path and metrics need beyond the port.
 * Backends have no cache and do not implement it; check with `isCachingOnlineStore`.
 */
export interface CachingOnlineStore extends OnlineStore {
  /**
   * Drops whatever is cached for these entities, so the next read asks the backend. Called on
   * feature-update events.
   */
  invalidate(keys: readonly EntityKey[]): void;
  /** Hit and miss counters of the cache, for metrics. */
  cacheStats(): OnlineStoreCacheStats;
}

/** Whether `store` is a caching decorator (the L1 cache) rather than a bare backend. */
export function isCachingOnlineStore(store: OnlineStore): store is CachingOnlineStore {
  const candidate = store as Partial<CachingOnlineStore>;
  return typeof candidate.invalidate === 'function' && typeof candidate.cacheStats === 'function';
}

/** lru-cache holds no null values: this marks "nothing stored", so misses of absent rows are cached too. */
const ABSENT = Symbol('absent');
type Cached = StoredView | typeof ABSENT;

/** A read whose answers are not yet in the cache; invalidations during it mark entities not to cache. */
interface InFlightRead {
  readonly invalidated: Set<string>;
}

/**
 * An in-process cache in front of another online store (a decorator implementing the same port).
 *
 * Caches each (entity, view) answer, including "nothing stored", for at most `ttlMs`, bounded to
 * `maxEntries` by least-recent use. A read serves what it can from the cache and sends every entity with
 * at least one missing view to the store in one call (all requested views, so the store still does one
 * round trip).
 *
 * Freshness: `write` and `delete` through this instance drop the entities they touch; other instances
 * (other processes) learn of writes through `invalidate` (called on feature-update events) or after
 * `ttlMs` at worst. A read racing an invalidation does not cache what it read for the invalidated
 * entities, so an invalidation is never undone by a slower read that started before it.
 * Errors from the store pass through unchanged (nothing is cached for them).
 */
export class L1CachedOnlineStore implements CachingOnlineStore {
  readonly kind: string;
  private readonly cache: LRUCache<string, Cached>;
  /** View names ever cached, to find every entry of an entity on invalidation. */
  private readonly viewNames = new Set<string>();
  private readonly inFlight = new Set<InFlightRead>();
  private readonly viewEntities: ReadonlyMap<string, string>;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    private readonly inner: OnlineStore,
    options: L1CacheOptions,
  ) {
    if (!(options.maxEntries >= 1) || !(options.ttlMs >= 1)) throw new RangeError('L1 cache: maxEntries and ttlMs must be >= 1');
    this.kind = `l1+${inner.kind}`;
    this.viewEntities = options.viewEntities ?? new Map();
    this.cache = new LRUCache<string, Cached>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // Expired entries are dropped when met; no timers on the hot path.
      ttlAutopurge: false,
      // The entry's age, not its last read, bounds staleness.
      updateAgeOnGet: false,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.evictions++;
      },
    });
  }

  async read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    // Nothing to look up: the store still validates the view names.
    if (keys.length === 0) return this.inner.read(keys, views);
    const out: (StoredView | null)[][] = new Array(keys.length);
    const missing: number[] = [];
    const ids = keys.map(entityId);
    const owners = views.map((view) => this.viewEntities.get(view));
    for (let i = 0; i < keys.length; i++) {
      const row: (StoredView | null)[] = new Array(views.length);
      let complete = true;
      for (let j = 0; j < views.length; j++) {
        if (owners[j] !== undefined && owners[j] !== keys[i].entity) {
          row[j] = null;
          continue;
        }
        const cached = this.cache.get(cacheKey(ids[i], views[j]));
        if (cached === undefined) {
          this.misses++;
          complete = false;
        } else {
          this.hits++;
          row[j] = cached === ABSENT ? null : cached;
        }
      }
      out[i] = row;
      if (!complete) missing.push(i);
    }
    if (missing.length === 0) return out;

    const flight: InFlightRead = { invalidated: new Set() };
    this.inFlight.add(flight);
    try {
      const fetched = await this.inner.read(
        missing.map((i) => keys[i]),
        views,
      );
      for (const view of views) this.viewNames.add(view);
      missing.forEach((i, n) => {
        out[i] = fetched[n];
        if (flight.invalidated.has(ALL) || flight.invalidated.has(ids[i])) return;
        fetched[n].forEach((stored, j) => {
          if (owners[j] === undefined || owners[j] === keys[i].entity) this.cache.set(cacheKey(ids[i], views[j]), stored ?? ABSENT);
        });
      });
      return out;
    } finally {
      this.inFlight.delete(flight);
    }
  }

  /** Writes through, then drops the written entities from the cache (also when the write failed part-way). */
  async write(rows: readonly OnlineRow[], options?: WriteOptions): Promise<WriteResult> {
    try {
      return await this.inner.write(rows, options);
    } finally {
      this.invalidate(rows.map((row) => row.key));
    }
  }

  async delete(keys: readonly EntityKey[]): Promise<void> {
    try {
      await this.inner.delete(keys);
    } finally {
      this.invalidate(keys);
    }
  }

  /** Drops every cached view of these entities; reads in flight will not cache them either. */
  invalidate(keys: readonly EntityKey[]): void {
    for (const key of keys) {
      const id = entityId(key);
      for (const view of this.viewNames) this.cache.delete(cacheKey(id, view));
      for (const flight of this.inFlight) flight.invalidated.add(id);
    }
  }

  /** Drops everything (e.g. after a catalog change or a bulk re-materialization). */
  clear(): void {
    this.cache.clear();
    for (const flight of this.inFlight) flight.invalidated.add(ALL);
  }

  cacheStats(): L1CacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, size: this.cache.size };
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  /** Not cached: the read path polls it about once a second. */
  async writeStreamWatermark(appliedThrough: Date): Promise<void> {
    await this.inner.writeStreamWatermark?.(appliedThrough);
  }

  async readStreamWatermark(): Promise<Date | null> {
    return (await this.inner.readStreamWatermark?.()) ?? null;
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.inner.close();
  }
}

const ALL = '\u0000all';

// NUL cannot occur in an entity name or id, so these keys are unambiguous.
function entityId(key: EntityKey): string {
  return `${key.entity}\u0000${key.id}`;
}

function cacheKey(entity: string, view: string): string {
  return `${entity}\u0000${view}`;
}
