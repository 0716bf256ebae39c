import {
  OnlineStoreUnavailableError,
  type CachingOnlineStore,
  type EntityKey,
  type OnlineRow,
  type OnlineStoreCacheStats,
  type StoredView,
  type WriteOptions,
  type WriteResult,
} from '@bnpl/online-store';

/**
 * An OnlineStore for unit tests of the read path: a map, a call log, and a switch to make it unavailable.
 * Not a contract-checked adapter (those live in @bnpl/online-store, which a domain lib cannot import).
 */
export class FakeOnlineStore implements CachingOnlineStore {
  readonly kind = 'fake';
  readonly rows = new Map<string, StoredView>();
  readonly reads: Array<{ keys: EntityKey[]; views: string[] }> = [];
  readonly writes: Array<{ rows: OnlineRow[]; options?: WriteOptions }> = [];
  /** Arguments of every `invalidate` call (the store acts as a caching decorator would). */
  readonly invalidations: EntityKey[][] = [];
  /** When true, every call rejects with OnlineStoreUnavailableError. */
  down = false;
  /** When set, `write` rejects with it. */
  writeError: Error | null = null;
  /** The stream watermark `readStreamWatermark` answers. */
  watermark: Date | null = null;

  async readStreamWatermark(): Promise<Date | null> {
    if (this.down) throw new OnlineStoreUnavailableError(this.kind, 'connection refused');
    return this.watermark;
  }

  put(entity: string, id: string, view: string, stored: StoredView): void {
    this.rows.set(rowKey(entity, id, view), stored);
  }

  invalidate(keys: readonly EntityKey[]): void {
    this.invalidations.push([...keys]);
  }

  cacheStats(): OnlineStoreCacheStats {
    return { hits: 0, misses: 0, evictions: 0, size: 0 };
  }

  get(entity: string, id: string, view: string): StoredView | undefined {
    return this.rows.get(rowKey(entity, id, view));
  }

  async read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    this.reads.push({ keys: [...keys], views: [...views] });
    if (this.down) throw new OnlineStoreUnavailableError(this.kind, 'connection refused');
    return keys.map((k) => views.map((v) => this.rows.get(rowKey(k.entity, k.id, v)) ?? null));
  }

  async write(rows: readonly OnlineRow[], options?: WriteOptions): Promise<WriteResult> {
    this.writes.push({ rows: [...rows], options });
    if (this.down) throw new OnlineStoreUnavailableError(this.kind, 'connection refused');
    if (this.writeError) throw this.writeError;
    let written = 0;
    for (const r of rows) {
      const old = this.get(r.key.entity, r.key.id, r.view);
      if (options?.mode === 'overwrite' || !old || old.eventTime < r.eventTime) {
        this.put(r.key.entity, r.key.id, r.view, { values: r.values, eventTime: r.eventTime });
        written++;
      }
    }
    return { written, skipped: rows.length - written };
  }

  async delete(keys: readonly EntityKey[]): Promise<void> {
    for (const k of keys) for (const key of [...this.rows.keys()]) if (key.startsWith(`${k.entity}:${k.id}|`)) this.rows.delete(key);
  }

  async ping(): Promise<void> {
    if (this.down) throw new OnlineStoreUnavailableError(this.kind, 'connection refused');
  }

  async close(): Promise<void> {
    return undefined;
  }
}

function rowKey(entity: string, id: string, view: string): string {
  return `${entity}:${id}|${view}`;
}
