import type { Catalog } from '@bnpl/feature-definitions';
import { entityTag } from './entity-key';
import { OnlineStoreUnavailableError } from './errors/online-store-unavailable.error';
import type { EntityKey, OnlineRow, OnlineStore, StoredView, WriteOptions, WriteResult } from './online-store.port';
import { StoredViewCodec } from './stored-view.codec';

export interface InMemoryOnlineStoreOptions {
  readonly catalog: Catalog;
  /** Instances with the same namespace share their data. Default `default`. */
  readonly namespace?: string;
}

/** One stored view: the encoded value (as Redis holds it) and its event time, kept apart for if-newer. */
interface StoredEntry {
  readonly eventTimeMs: number;
  readonly bytes: Buffer;
}

/**
 * An online store held in this process's memory: for unit tests and for the local stack on a machine
 * without redis-server. Instances with the same namespace share their data, which is how the four apps
 * see one store when the local stack runs them inside one process; it is never shared across processes.
 *
 * Values are stored encoded with the same codec as Redis, so validation, round-trips and null handling
 * are identical; nothing expires (a process-lifetime store has no memory pressure worth the complexity).
 */
export class InMemoryOnlineStore implements OnlineStore {
  readonly kind = 'memory';
  private static readonly namespaces = new Map<string, Map<string, Map<string, StoredEntry>>>();
  /** The stream watermark (epoch ms) per namespace. */
  private static readonly watermarks = new Map<string, number>();
  private closed = false;
  private readonly codec: StoredViewCodec;
  /** entity tag -> view name -> entry; shared by every instance with the same namespace. */
  private readonly data: Map<string, Map<string, StoredEntry>>;
  readonly namespace: string;

  constructor(options: InMemoryOnlineStoreOptions) {
    this.codec = new StoredViewCodec(options.catalog);
    this.namespace = options.namespace ?? 'default';
    let data = InMemoryOnlineStore.namespaces.get(this.namespace);
    if (!data) InMemoryOnlineStore.namespaces.set(this.namespace, (data = new Map()));
    this.data = data;
  }

  async read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    const viewDefs = views.map((name) => this.codec.view(name));
    const tags = keys.map((key) => entityTag(this.codec.catalog, key));
    this.assertOpen();
    return tags.map((tag) => {
      const entity = this.data.get(tag);
      return viewDefs.map((view) => {
        const entry = entity?.get(view.name);
        return entry ? this.codec.decodeView(view, entry.bytes) : null;
      });
    });
  }

  async write(rows: readonly OnlineRow[], options: WriteOptions = {}): Promise<WriteResult> {
    const encoded = rows.map((row) => ({
      tag: entityTag(this.codec.catalog, row.key),
      view: row.view,
      entry: { eventTimeMs: row.eventTime.getTime(), bytes: this.codec.encode(row.view, row.key, row.values, row.eventTime, row.tiles) },
    }));
    this.assertOpen();
    let written = 0;
    // Synchronous from here on: atomic with respect to every other caller in this process.
    for (const { tag, view, entry } of encoded) {
      let entity = this.data.get(tag);
      if (!entity) this.data.set(tag, (entity = new Map()));
      const stored = entity.get(view);
      if (options.mode !== 'overwrite' && stored && stored.eventTimeMs >= entry.eventTimeMs) continue;
      entity.set(view, entry);
      written++;
    }
    return { written, skipped: rows.length - written };
  }

  async delete(keys: readonly EntityKey[]): Promise<void> {
    const tags = keys.map((key) => entityTag(this.codec.catalog, key));
    this.assertOpen();
    for (const tag of tags) this.data.delete(tag);
  }

  async writeStreamWatermark(appliedThrough: Date): Promise<void> {
    this.assertOpen();
    const ms = appliedThrough.getTime();
    if (ms > (InMemoryOnlineStore.watermarks.get(this.namespace) ?? 0)) InMemoryOnlineStore.watermarks.set(this.namespace, ms);
  }

  async readStreamWatermark(): Promise<Date | null> {
    this.assertOpen();
    const ms = InMemoryOnlineStore.watermarks.get(this.namespace);
    return ms === undefined ? null : new Date(ms);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new OnlineStoreUnavailableError(this.kind, 'in-memory online store is closed');
  }
}
