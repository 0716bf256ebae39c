import type { Catalog } from '@bnpl/feature-definitions';
import type { EntityKey, OnlineStore } from '@bnpl/online-store';

/**
 * Where the online store keeps its generation marker: the row of the largest possible customer id
 * (9223372036854775807, the bigint maximum no source row reaches) in `customer_profile`, its values all
 * null and its event time the generation's start. A row rather than a key of its own, so that every
 * adapter of the OnlineStore port (standalone, cluster, sentinel, memory) keeps it with no change to the
 * port, and it goes wherever the data goes: a flush, a restart without persistence or a failover to an
 * empty replica loses it with the rest. A client asking for that customer gets DEFAULT values instead of
 * MISSING; no real customer can have the id.
 */
export const MARKER_KEY: EntityKey = { entity: 'customer', id: '9223372036854775807' };
export const MARKER_VIEW = 'customer_profile';

/** Reads and writes the marker through any OnlineStore. */
export class GenerationMarker {
  readonly #nulls: Record<string, null>;

  constructor(
    private readonly store: OnlineStore,
    catalog: Catalog,
  ) {
    this.#nulls = Object.fromEntries(catalog.getView(MARKER_VIEW).features.map((f) => [f.name, null]));
  }

  /** The marker's generation start, or null when the store has no marker. Rejects when the store does not answer. */
  async read(): Promise<Date | null> {
    const [[row]] = await this.store.read([MARKER_KEY], [MARKER_VIEW]);
    return row?.eventTime ?? null;
  }

  /** Writes the marker of the generation started at `startedAt` (overwriting any older one). */
  async write(startedAt: Date): Promise<void> {
    await this.store.write([{ key: MARKER_KEY, view: MARKER_VIEW, values: this.#nulls, eventTime: startedAt }], { mode: 'overwrite' });
  }
}
