import { FeatureStoreError, type Catalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { isCachingOnlineStore, type EntityKey, type OnlineStore } from '@bnpl/online-store';
import { FeaturesUnavailableError } from '../../errors/features-unavailable.error';
import type { BreakerOptions, BreakerState } from '../../internal/circuit-breaker';
import { NO_LOGGER, type ServingLogger } from '../../internal/serving-logger';
import { assembleResults, type PairValue, type PairValues } from './assemble-results';
import type { GetOnlineFeaturesCommand, GetOnlineFeaturesResult } from './get-online-features.command';
import { OnlineRead, selectPairs } from './online-read';
import { ReadPlanner, type ReadPlan } from './read-plan';
import { L1Recognizer, traceOf, type TracedResult, type ValueOrigin } from './served-trace';
import { SourceFallback } from './source-fallback';
import { StreamWatermark } from './stream-watermark';

export type { ServingLogger } from '../../internal/serving-logger';

export interface GetOnlineFeaturesOptions {
  /** Now, for TTLs and as-of reads. Default: the system clock. */
  readonly clock?: () => Date;
  readonly logger?: ServingLogger;
  /** Timeout of one online store read. Default 100 ms. */
  readonly onlineStoreTimeoutMs?: number;
  /** Timeout of one source read (one view, many entities). Default 2 000 ms. */
  readonly sourceTimeoutMs?: number;
  /**
   * Breaker around online store reads (its `timeoutMs` overrides `onlineStoreTimeoutMs`). Its probe
   * defaults to the store's `ping`: the breaker closes as soon as the store answers again.
   */
  readonly onlineStoreBreaker?: BreakerOptions;
  /** Breaker around source reads (its `timeoutMs` overrides `sourceTimeoutMs`). */
  readonly sourceBreaker?: BreakerOptions;
  /**
   * A cheap check of the source (the app's database readiness check): while the source breaker is open it
   * runs every `sourceBreaker.probeIntervalMs`, and the first success closes the breaker, so reads that
   * need the source work again as soon as it answers (not a reset timeout later).
   */
  readonly sourceProbe?: () => Promise<unknown>;
  /**
   * How long "this entity does not exist in the source" is remembered, in ms, so that repeated reads of
   * an unknown id (a new customer, a probing client) do not each cost a source query. `invalidate`
   * forgets it at once (feature-update events). Default 5 000; 0 turns the negative cache off.
   */
  readonly negativeCacheTtlMs?: number;
  /** Most remembered unknown (view, entity) pairs. Default 100 000. */
  readonly negativeCacheMaxEntries?: number;
  /**
   * How often the stream watermark is read from the online store, in ms (when the store keeps one).
   * Rows the streaming path keeps (those with tiles) are STALE only when both their event time and the
   * watermark are past the view's TTL: such a row stays true until its entity's next change, and the
   * watermark says every change before it was applied. Default 1 000; 0 turns it off (TTLs are then
   * judged against event times alone).
   */
  readonly streamWatermarkRefreshMs?: number;
}

/** Counters since construction, for metrics. Pairs are (entity, stored view). */
export interface GetOnlineFeaturesStats {
  readonly requests: number;
  /** Pairs found in the online store. */
  readonly onlineHits: number;
  /** Pairs the online store answered `null` for. */
  readonly onlineMisses: number;
  /** Online store reads that failed or were skipped by the open breaker (their pairs went to the source). */
  readonly onlineStoreFailures: number;
  /** Pairs answered "entity unknown" from the negative cache, without a source read. */
  readonly negativeCacheHits: number;
  /** `readView` calls made. */
  readonly sourceReads: number;
  /** Entities (per view) read from the source. */
  readonly sourceEntities: number;
  /** Entities (per view) that joined a source read already in flight instead of starting one. */
  readonly sourceSharedEntities: number;
  readonly sourceFailures: number;
  /** Rows written back to the online store after a miss, and failed refill writes. */
  readonly refilledRows: number;
  readonly refillFailures: number;
  readonly onlineStoreBreaker: BreakerState;
  readonly sourceBreaker: BreakerState;
}

/**
 * The read path shared by REST and gRPC: validates a request, reads every (entity, view) pair it needs
 * from the online store in one round trip, computes the pairs the store lacks (or all of them when the
 * store is down) from the source, refills the store with them in the background, and assembles one value
 * per (row, feature) with its status and event time.
 *
 * The steps are units of their own: `ReadPlanner` (validation and resolution against the catalog),
 * `OnlineRead`, `SourceFallback` (breaker, single flight, negative cache, refill), `StreamWatermark` and
 * `assembleResults`; this class runs them in order.
 *
 * Errors: InvalidFeatureRequestError, InvalidRequestInputError and the catalog's errors (UNKNOWN_FEATURE,
 * UNKNOWN_FEATURE_VIEW, UNKNOWN_FEATURE_SERVICE, INVALID_FEATURE_REF) for bad input, before any I/O;
 * FeaturesUnavailableError when needed pairs are neither stored nor readable from the source; a source's
 * FeatureComputationError unchanged. No HTTP or gRPC mapping here: the edges do that.
 *
 * Call `close()` on shutdown: it waits for pending refills and stops the breakers' timers.
 */
export class GetOnlineFeatures {
  readonly #clock: () => Date;
  readonly #planner: ReadPlanner;
  readonly #online: OnlineRead;
  readonly #fallback: SourceFallback;
  readonly #watermark: StreamWatermark;
  /** Tells L1 hits from backend reads in traced answers; null when the store has no cache. */
  readonly #l1: L1Recognizer | null;
  #requests = 0;

  constructor(
    catalog: Catalog,
    private readonly onlineStore: OnlineStore,
    sourceReader: SourceFeatureReader,
    options: GetOnlineFeaturesOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    const logger = options.logger ?? NO_LOGGER;
    this.#planner = new ReadPlanner(catalog);
    this.#online = new OnlineRead(onlineStore, { timeoutMs: options.onlineStoreTimeoutMs, breaker: { probe: () => onlineStore.ping(), ...options.onlineStoreBreaker }, logger });
    this.#fallback = new SourceFallback(sourceReader, onlineStore, catalog.views, {
      timeoutMs: options.sourceTimeoutMs,
      breaker: { ...(options.sourceProbe ? { probe: options.sourceProbe } : {}), ...options.sourceBreaker },
      negativeCacheTtlMs: options.negativeCacheTtlMs,
      negativeCacheMaxEntries: options.negativeCacheMaxEntries,
      logger,
    });
    this.#watermark = new StreamWatermark(onlineStore);
    this.#l1 = isCachingOnlineStore(onlineStore) ? new L1Recognizer() : null;
    this.#watermark.start(options.streamWatermarkRefreshMs ?? 1_000);
  }

  async execute(command: GetOnlineFeaturesCommand): Promise<GetOnlineFeaturesResult> {
    const plan = this.#planner.plan(command);
    this.#requests++;
    const now = this.#clock();
    const pairs = await this.#readPairs(plan, now, null);
    return assembleResults(plan, pairs, command.requestContext ?? {}, { now, streamWatermarkMs: this.#watermark.ms });
  }

  /**
   * `execute`, and how its answer was made: the request instant, the stream watermark, and each value's
   * origin (L1, online store, source, request) and streamed flag; what a decision record keeps. Same
   * validation, errors and answer as `execute`. A process should trace all of its reads or none: L1 hits
   * are told apart by the objects earlier traced reads were served (see L1Recognizer).
   */
  async executeTraced(command: GetOnlineFeaturesCommand): Promise<TracedResult> {
    const plan = this.#planner.plan(command);
    this.#requests++;
    const now = this.#clock();
    const origins = new Map<string, Map<string, ValueOrigin>>();
    const pairs = await this.#readPairs(plan, now, origins);
    const streamWatermarkMs = this.#watermark.ms;
    const result = assembleResults(plan, pairs, command.requestContext ?? {}, { now, streamWatermarkMs });
    const streamed = (view: string, id: string) => pairs.get(view)?.get(id)?.tiles !== undefined;
    return { result, trace: traceOf(plan, origins, streamed, now, streamWatermarkMs) };
  }

  /** Counters and breaker states, for metrics and health output. */
  stats(): GetOnlineFeaturesStats {
    const online = this.#online.stats();
    const source = this.#fallback.stats();
    return {
      requests: this.#requests,
      onlineHits: online.onlineHits,
      onlineMisses: online.onlineMisses,
      onlineStoreFailures: online.onlineStoreFailures,
      negativeCacheHits: source.negativeCacheHits,
      sourceReads: source.sourceReads,
      sourceEntities: source.sourceEntities,
      sourceSharedEntities: source.sourceSharedEntities,
      sourceFailures: source.sourceFailures,
      refilledRows: source.refilledRows,
      refillFailures: source.refillFailures,
      onlineStoreBreaker: this.#online.breakerState(),
      sourceBreaker: this.#fallback.breakerState(),
    };
  }

  /**
   * Forgets what this instance holds about these entities: the online store's cache (L1), if it has one,
   * and the negative cache. Called on feature-update events, so the next read sees the new values.
   */
  invalidate(keys: readonly EntityKey[]): void {
    // Only a caching decorator (the L1) has `invalidate`; a store without a cache has nothing to drop.
    if (isCachingOnlineStore(this.onlineStore)) this.onlineStore.invalidate(keys);
    this.#fallback.forget(keys);
  }

  /** Resolves when every refill started so far has settled (tests, graceful shutdown). */
  async drain(): Promise<void> {
    await this.#fallback.drain();
  }

  /**
   * Reads the stream watermark from the online store now (the timer does it every
   * `streamWatermarkRefreshMs`). A store that cannot answer keeps the last one: rows then go STALE as
   * their TTLs pass, as they should while nobody can say they are current.
   */
  async refreshStreamWatermark(): Promise<void> {
    await this.#watermark.refresh();
  }

  /** Waits for pending refills, then stops the breakers and the watermark timer. Does not close the store or the source. */
  async close(): Promise<void> {
    this.#watermark.stop();
    await this.drain();
    this.#online.close();
    this.#fallback.close();
  }

  /**
   * Every needed (view, entity id) pair's outcome: from the online store, the rest from the source. With
   * `origins`, also where each pair came from.
   */
  async #readPairs(plan: ReadPlan, now: Date, origins: Map<string, Map<string, ValueOrigin>> | null): Promise<PairValues> {
    const online = await this.#online.read(selectPairs(plan.selection.storedViews, plan.rows));
    const pairs = new Map<string, Map<string, PairValue>>();
    const pending: Array<Promise<unknown>> = [];
    for (const { view, found, missing } of online.views) {
      const byId = new Map<string, PairValue>(found);
      pairs.set(view.name, byId);
      if (origins) {
        const byIdOrigin = new Map<string, ValueOrigin>();
        for (const [id, stored] of found) byIdOrigin.set(id, this.#l1 ? this.#l1.originOf(stored) : 'online-store');
        for (const id of missing) byIdOrigin.set(id, 'source');
        origins.set(view.name, byIdOrigin);
      }
      if (missing.length > 0) {
        // Refilling while the store is down would only fail (and count failures) once per miss.
        const read = this.#fallback.read(view, missing, now, online.answered);
        pending.push(read.then((values) => missing.forEach((id, i) => byId.set(id, values[i]))));
      }
    }
    try {
      await Promise.all(pending);
    } catch (error) {
      // A FeatureStoreError from the source (e.g. FeatureComputationError) is a data problem: pass it on.
      if (error instanceof FeatureStoreError) throw error;
      const what = online.answered ? 'the online store lacks some of them' : 'the online store is unavailable';
      // The driver's error stays in `cause` (for logs): this message reaches answers, which never quote a driver.
      throw new FeaturesUnavailableError(`${what} and the source could not be read; retry later`, { cause: error });
    }
    return pairs;
  }
}
