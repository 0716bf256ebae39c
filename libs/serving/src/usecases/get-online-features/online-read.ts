import { FeatureStoreError, type FeatureView } from '@bnpl/feature-definitions';
import { OnlineStoreUnavailableError, type EntityKey, type OnlineStore, type StoredView } from '@bnpl/online-store';
import type CircuitBreaker from 'opossum';
import {
  breakerState,
  createBreaker,
  isOpenBreakerRejection,
  logBreakerTransitions,
  type BreakerOptions,
  type BreakerState,
} from '../../internal/circuit-breaker';
import { describeError, type ServingLogger } from '../../internal/serving-logger';
import type { EntityRow } from './get-online-features.command';

/** The pairs of one stored view a request needs: the distinct ids of the view's own entity, in row order. */
export interface ViewPairs {
  readonly view: FeatureView;
  readonly ids: readonly string[];
  /** Per id, the index in `PairSelection.keys` of its (entity, id) key. */
  readonly keyIndexes: readonly number[];
  /** The view's index in `PairSelection.views`. */
  readonly viewIndex: number;
}

/**
 * The (entity, stored view) pairs a request needs, and the one store read that covers them. The port reads
 * every key in every view (`keys` x `views`) in one round trip; only the cells of `byView`, each entity in
 * its own views, are ever looked at: a customer id is never looked up in a merchant view's answer.
 */
export interface PairSelection {
  /** Distinct (entity, id) keys, in first use: view order, then row order. */
  readonly keys: readonly EntityKey[];
  readonly views: readonly string[];
  readonly byView: readonly ViewPairs[];
}

/** Which pairs `rows` need of `storedViews` (the rows are validated: each carries the ids its views need). */
export function selectPairs(storedViews: readonly FeatureView[], rows: readonly EntityRow[]): PairSelection {
  const keys: EntityKey[] = [];
  const keyIndex = new Map<string, number>();
  const byView = storedViews.map((view, viewIndex): ViewPairs => {
    const ids = [...new Set(rows.map((r) => r[view.entity.joinKey] as string))];
    const keyIndexes = ids.map((id) => {
      const k = `${view.entity.name}\0${id}`;
      let index = keyIndex.get(k);
      if (index === undefined) {
        index = keys.length;
        keyIndex.set(k, index);
        keys.push({ entity: view.entity.name, id });
      }
      return index;
    });
    return { view, ids, keyIndexes, viewIndex };
  });
  return { keys, views: storedViews.map((v) => v.name), byView };
}

/** One view's pairs after the store read: the rows it holds, and the ids it lacks (or could not be asked for). */
export interface ViewReadOutcome {
  readonly view: FeatureView;
  readonly found: ReadonlyMap<string, StoredView>;
  readonly missing: readonly string[];
}

export interface OnlineReadOutcome {
  /** False when the store was not read (failed, timed out, or skipped by the open breaker): every pair is then missing. */
  readonly answered: boolean;
  readonly views: readonly ViewReadOutcome[];
}

/**
 * Splits the store's answer (null when it did not answer) into found and missing pairs, looking only at the
 * selection's cells. Tolerates an answer shorter than the keys or views (those pairs are missing).
 */
export function splitAnswer(selection: PairSelection, answer: ReadonlyArray<ReadonlyArray<StoredView | null>> | null): OnlineReadOutcome {
  const views = selection.byView.map(({ view, ids, keyIndexes, viewIndex }): ViewReadOutcome => {
    const found = new Map<string, StoredView>();
    const missing: string[] = [];
    ids.forEach((id, i) => {
      const hit = answer?.[keyIndexes[i]]?.[viewIndex] ?? null;
      if (hit) found.set(id, hit);
      else missing.push(id);
    });
    return { view, found, missing };
  });
  return { answered: answer !== null, views };
}

export interface OnlineReadOptions {
  /** Timeout of one read. Default 100 ms; `breaker.timeoutMs` overrides it. */
  readonly timeoutMs?: number;
  readonly breaker?: BreakerOptions;
  readonly logger: ServingLogger;
}

/** Counters since construction; pairs are (entity, stored view). See GetOnlineFeaturesStats. */
export interface OnlineReadStats {
  readonly onlineHits: number;
  readonly onlineMisses: number;
  readonly onlineStoreFailures: number;
}

/**
 * The online half of a read: all of a request's pairs in one call of the OnlineStore port, behind a circuit
 * breaker. A failed, slow or skipped read is not an error of the request: its pairs are all reported
 * missing, for the source to answer.
 */
export class OnlineRead {
  readonly #breaker: CircuitBreaker<[readonly EntityKey[], readonly string[]], (StoredView | null)[][]>;
  readonly #logger: ServingLogger;
  readonly #counters = { onlineHits: 0, onlineMisses: 0, onlineStoreFailures: 0 };

  constructor(store: OnlineStore, options: OnlineReadOptions) {
    this.#logger = options.logger;
    // Only availability problems trip the breaker; other FeatureStoreErrors (a corrupt stored value) say
    // nothing about the store's health.
    this.#breaker = createBreaker(
      'online-store',
      (keys: readonly EntityKey[], views: readonly string[]) => store.read(keys, views),
      { timeoutMs: options.timeoutMs, ...options.breaker },
      { timeoutMs: 100, resetTimeoutMs: 5_000 },
      (e) => e instanceof FeatureStoreError && !(e instanceof OnlineStoreUnavailableError),
    );
    logBreakerTransitions(this.#breaker, 'online store', this.#logger);
  }

  /** Reads the selection's pairs; counts hits, misses (only when the store answered) and failures. */
  async read(selection: PairSelection): Promise<OnlineReadOutcome> {
    let answer: (StoredView | null)[][] | null = null;
    if (selection.keys.length > 0) {
      try {
        answer = await this.#breaker.fire(selection.keys, selection.views);
      } catch (error) {
        this.#counters.onlineStoreFailures++;
        // While the breaker is open every read is skipped on purpose: the breaker's own 'open' event was
        // logged once, and a line per request would flood the logs exactly when they matter.
        if (!isOpenBreakerRejection(error)) this.#logger.warn('Online store read failed: reading from the source', { error: describeError(error) });
      }
    }
    const outcome = splitAnswer(selection, answer);
    for (const v of outcome.views) {
      this.#counters.onlineHits += v.found.size;
      if (outcome.answered) this.#counters.onlineMisses += v.missing.length;
    }
    return outcome;
  }

  stats(): OnlineReadStats {
    return { ...this.#counters };
  }

  breakerState(): BreakerState {
    return breakerState(this.#breaker);
  }

  /** Stops the breaker's timers. Does not close the store. */
  close(): void {
    this.#breaker.shutdown();
  }
}
