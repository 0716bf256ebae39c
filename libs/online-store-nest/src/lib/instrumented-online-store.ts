import { inChildSpan, inChildSpanSync } from '@bnpl/observability';
import { isCachingOnlineStore, type CachingOnlineStore, type EntityKey, type OnlineRow, type OnlineStore, type OnlineStoreCacheStats, type StoredView, type WriteOptions, type WriteResult } from '@bnpl/online-store';

/** Counters of one layer since start: (entity, view) pairs looked up and found, rows written and skipped. */
export interface OnlineStoreLayerStats {
  /** Pairs the layer had a row for. */
  readonly hits: number;
  /** Pairs it had nothing for. */
  readonly misses: number;
  readonly rowsWritten: number;
  /** Rows an if-newer write kept out because the stored row was as new or newer. */
  readonly rowsSkipped: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A decorator giving one layer of the online store (the L1 cache, or the backend behind it) spans and
 * counters, so that a traced read shows `online-store l1 read` with, on a miss, `online-store redis read`
 * (and the driver's commands) beneath it, and Redis' own hit ratio can be told from L1's.
 *
 * Spans are made only inside a recording trace (see `inChildSpan`): unsampled reads pay a lookup. Counting
 * walks the answer once, and is done for backends only (`countPairs`): the L1 counts its own. Pings and the
 * stream watermark, which pollers call, get no spans. The optional methods of the port and of the caching
 * decorator exist here exactly when the inner store has them, so `isCachingOnlineStore` answers as for it.
 */
export class InstrumentedOnlineStore implements OnlineStore {
  declare readonly writeStreamWatermark?: (appliedThrough: Date) => Promise<void>;
  declare readonly readStreamWatermark?: () => Promise<Date | null>;
  declare readonly invalidate?: (keys: readonly EntityKey[]) => void;
  declare readonly cacheStats?: () => OnlineStoreCacheStats;

  readonly #stats: Mutable<OnlineStoreLayerStats> = { hits: 0, misses: 0, rowsWritten: 0, rowsSkipped: 0 };
  readonly #spanPrefix: string;

  /**
   * @param layer what the spans call this layer: `l1`, or the backend's kind (`redis`, `redis-cluster`, ...)
   * @param countPairs count hits and misses of reads (backends; the L1 cache counts its own)
   */
  constructor(
    private readonly inner: OnlineStore,
    readonly layer: string,
    private readonly countPairs: boolean,
  ) {
    this.#spanPrefix = `online-store ${layer}`;
    const self = this as Mutable<InstrumentedOnlineStore>;
    if (inner.writeStreamWatermark) self.writeStreamWatermark = (appliedThrough) => required(inner.writeStreamWatermark).call(inner, appliedThrough);
    if (inner.readStreamWatermark) self.readStreamWatermark = () => required(inner.readStreamWatermark).call(inner);
    if (isCachingOnlineStore(inner)) {
      const caching: CachingOnlineStore = inner;
      self.invalidate = (keys) => inChildSpanSync(`${this.#spanPrefix} invalidate`, { 'bnpl.entities': keys.length }, () => caching.invalidate(keys));
      self.cacheStats = () => caching.cacheStats();
    }
  }

  get kind(): string {
    return this.inner.kind;
  }

  stats(): OnlineStoreLayerStats {
    return { ...this.#stats };
  }

  read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    return inChildSpan(`${this.#spanPrefix} read`, { 'bnpl.entities': keys.length, 'bnpl.views': views.join(',') }, async (span) => {
      const rows = await this.inner.read(keys, views);
      if (this.countPairs) {
        let hits = 0;
        for (const row of rows) for (const stored of row) if (stored) hits++;
        const misses = keys.length * views.length - hits;
        this.#stats.hits += hits;
        this.#stats.misses += misses;
        span?.setAttributes({ 'bnpl.hits': hits, 'bnpl.misses': misses });
      }
      return rows;
    });
  }

  write(rows: readonly OnlineRow[], options?: WriteOptions): Promise<WriteResult> {
    return inChildSpan(`${this.#spanPrefix} write`, { 'bnpl.rows': rows.length, 'bnpl.write_mode': options?.mode ?? 'if-newer' }, async (span) => {
      const result = await this.inner.write(rows, options);
      this.#stats.rowsWritten += result.written;
      this.#stats.rowsSkipped += result.skipped;
      span?.setAttributes({ 'bnpl.written': result.written, 'bnpl.skipped': result.skipped });
      return result;
    });
  }

  delete(keys: readonly EntityKey[]): Promise<void> {
    return inChildSpan(`${this.#spanPrefix} delete`, { 'bnpl.entities': keys.length }, () => this.inner.delete(keys));
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

// Bound in the constructor only when the inner store has the method.
function required<F>(method: F | undefined): F {
  if (!method) throw new TypeError('the inner online store lacks a method it had when instrumented');
  return method;
}
