import type { EntityKey } from '@bnpl/online-store';
import { type GetOnlineFeatures } from '@bnpl/serving';

/**
 * What an invalidation needs of a feature-update event. `FeatureUpdate` of @bnpl/messaging has these
 * fields; this lib (an adapter) may not import that lib (another adapter), so the apps hand the topic in.
 */
export interface ChangedEntities {
  /** The entity the ids belong to, as the catalog names it: `customer`, `merchant`. */
  readonly entity: string;
  readonly entityIds: readonly string[];
}

/** Counters since start, for metrics. */
export interface FeatureUpdateInvalidatorStats {
  /** Feature-update events applied. */
  readonly events: number;
  /** Entity keys dropped from this instance's caches (an entity named by two events counts twice). */
  readonly keys: number;
}

/**
 * Applies feature-update events to this instance's read path: the entities an event names are dropped from
 * the L1 cache and the negative cache, so the next read of them goes to the online store (or the source).
 * Whole entities are dropped whatever views the event lists: the caches are cheap to refill, and a view
 * list that is empty means every view anyway.
 *
 * Synchronous, in memory, idempotent and order-free: any number of events may be handled at once, in any
 * order, more than once.
 */
export class FeatureUpdateInvalidator {
  #events = 0;
  #keys = 0;

  constructor(private readonly readPath: Pick<GetOnlineFeatures, 'invalidate'>) {}

  invalidate(update: ChangedEntities): void {
    const keys: EntityKey[] = update.entityIds.map((id) => ({ entity: update.entity, id }));
    this.readPath.invalidate(keys);
    this.#events++;
    this.#keys += keys.length;
  }

  stats(): FeatureUpdateInvalidatorStats {
    return { events: this.#events, keys: this.#keys };
  }
}
