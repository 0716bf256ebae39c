import type { StoredView } from '@bnpl/online-store';
import type { GetOnlineFeaturesResult } from './get-online-features.command';
import type { ReadPlan } from './read-plan';

/**
 * Where a served value came from:
 * - `l1`: this instance's in-process cache of the online store;
 * - `online-store`: the online store's backend (Redis), read for this request;
 * - `source`: computed from the source database (PostgreSQL) on a miss or with the online store down, or
 *   the source's recent answer that the entity does not exist (negative cache);
 * - `request`: a request-time feature, computed from the request and the stored values served with it.
 */
export type ValueOrigin = 'l1' | 'online-store' | 'source' | 'request';

/** Per value of one result row (in `feature_names` order): where it came from, and whether the stream keeps its row. */
export interface ServedRowTrace {
  readonly origins: readonly ValueOrigin[];
  /**
   * True where the value's row is kept by the streaming path (it has tiles): its TTL was judged against the
   * stream watermark as well as its event time.
   */
  readonly streamed: readonly boolean[];
}

/** How an answer was made, beside the answer itself: what a decision record keeps. */
export interface ServedTrace {
  /** The request instant: TTLs, window days and request-time features were judged at it. */
  readonly servedAt: Date;
  /** The stream watermark streamed rows were judged against (epoch ms; 0 when unknown). */
  readonly streamWatermarkMs: number;
  /** Stored and request-time views the answer read, each once, in first use. */
  readonly views: readonly string[];
  /** One per result row, in request order. */
  readonly rows: readonly ServedRowTrace[];
}

export interface TracedResult {
  readonly result: GetOnlineFeaturesResult;
  readonly trace: ServedTrace;
}

/** A pair's origin: view name -> entity id -> where its row came from (absent: not read). */
export type PairOrigins = ReadonlyMap<string, ReadonlyMap<string, ValueOrigin>>;

/**
 * Tells L1 hits from backend reads without the cache's help: the L1 hands out the very object it cached,
 * while a backend decodes a new object on every read. An object this read path has served before can
 * only have come from the cache. (One known blur: a backend answer that arrives after the read timed out
 * is cached without being served, and its first serving from the cache is labelled `online-store`.)
 */
export class L1Recognizer {
  readonly #seen = new WeakSet<StoredView>();

  /** `l1` when `stored` was served before, `online-store` the first time; remembers it. */
  originOf(stored: StoredView): ValueOrigin {
    if (this.#seen.has(stored)) return 'l1';
    this.#seen.add(stored);
    return 'online-store';
  }
}

/** The trace of an assembled answer: each value's origin and streamed flag, from its pair's. */
export function traceOf(plan: ReadPlan, origins: PairOrigins, streamed: (view: string, id: string) => boolean, servedAt: Date, streamWatermarkMs: number): ServedTrace {
  const { storedViews, viewIndex, slots } = plan.selection;
  const views: string[] = storedViews.map((v) => v.name);
  for (const slot of slots) if (slot.kind === 'request' && !views.includes(slot.view.name)) views.push(slot.view.name);
  // Each slot's stored view (-1: request-time): a row's origin and streamed flag are looked up once per
  // view, then copied to each of the view's features.
  const slotView = slots.map((slot) => (slot.kind === 'request' ? -1 : (viewIndex.get(slot.read.view) as number)));
  const byView = storedViews.map((v) => origins.get(v.name));
  const rows = plan.rows.map((row): ServedRowTrace => {
    const ids = storedViews.map((view) => row[view.entity.joinKey] as string);
    const viewOrigins = storedViews.map((view, i): ValueOrigin => byView[i]?.get(ids[i]) ?? 'source');
    const viewStreamed = storedViews.map((view, i) => streamed(view.name, ids[i]));
    return { origins: slotView.map((v) => (v === -1 ? 'request' : viewOrigins[v])), streamed: slotView.map((v) => v !== -1 && viewStreamed[v]) };
  });
  return { servedAt, streamWatermarkMs, views, rows };
}
