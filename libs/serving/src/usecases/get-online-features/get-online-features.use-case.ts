import {
  FeatureStoreError,
  InvalidRequestInputError,
  OnlineStoreUnavailableError,
  computeRequestFeatures,
  describeValue,
  isValidEntityId,
  isValueOfType,
  parseFeatureRef,
  utcDayNumber,
  valuesOnDay,
  type Catalog,
  type EntityKey,
  type FeatureRow,
  type FeatureValue,
  type FeatureView,
  type OnlineRow,
  type OnlineStore,
  type ResolvedFeature,
  type SourceFeatureReader,
  type StoredView,
  type ValueType,
} from '@bnpl/feature-definitions';
import { LRUCache } from 'lru-cache';
import type CircuitBreaker from 'opossum';
import { FeaturesUnavailableError } from '../../errors/features-unavailable.error';
import { InvalidFeatureRequestError } from '../../errors/invalid-feature-request.error';
import { breakerState, createBreaker, type BreakerOptions, type BreakerState } from '../../internal/circuit-breaker';
import {
  MAX_ENTITY_ROWS,
  type EntityRow,
  type FeatureResult,
  type GetOnlineFeaturesCommand,
  type GetOnlineFeaturesResult,
} from './get-online-features.command';

/** Where the read path reports what it cannot surface to the caller (refill failures, breaker changes). */
export interface ServingLogger {
  log(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
}

export interface GetOnlineFeaturesOptions {
  /** Now, for TTLs and as-of reads. Default: the system clock. */
  readonly clock?: () => Date;
  readonly logger?: ServingLogger;
  /** Timeout of one online store read. Default 100 ms. */
  readonly onlineStoreTimeoutMs?: number;
  /** Timeout of one source read (one view, many entities). Default 2 000 ms. */
  readonly sourceTimeoutMs?: number;
  /** Breaker around online store reads (its `timeoutMs` overrides `onlineStoreTimeoutMs`). */
  readonly onlineStoreBreaker?: BreakerOptions;
  /** Breaker around source reads (its `timeoutMs` overrides `sourceTimeoutMs`). */
  readonly sourceBreaker?: BreakerOptions;
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

type Counters = { -readonly [K in Exclude<keyof GetOnlineFeaturesStats, 'onlineStoreBreaker' | 'sourceBreaker'>]: number };

/** What a request reads, validated. */
interface ReadPlan {
  readonly features: readonly ResolvedFeature[];
  readonly storedViews: readonly FeatureView[];
  readonly rows: readonly EntityRow[];
}

/** A pair's outcome: its stored or computed row, or null when the entity does not exist. */
type PairValue = StoredView | null;

const NO_LOGGER: ServingLogger = { log: () => undefined, warn: () => undefined };

/**
 * The read path shared by REST and gRPC: validates a request, reads every (entity, view) pair it needs
 * from the online store in one round trip, computes the pairs the store lacks (or all of them when the
 * store is down) from the source, refills the store with them in the background, and assembles one value
 * per (row, feature) with its status and event time.
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
  readonly #logger: ServingLogger;
  readonly #storeBreaker: CircuitBreaker<[readonly EntityKey[], readonly string[]], (StoredView | null)[][]>;
  readonly #sourceBreaker: CircuitBreaker<[string, readonly string[], Date], Array<FeatureRow | null>>;
  /** Source reads in flight, by `view \0 id`: concurrent misses of one pair share one query. */
  readonly #inFlight = new Map<string, Promise<PairValue>>();
  readonly #pendingRefills = new Set<Promise<void>>();
  /** The stream watermark last read (epoch ms; 0 before any), and the timer that refreshes it. */
  #streamWatermarkMs = 0;
  readonly #watermarkTimer: NodeJS.Timeout | undefined;
  readonly #joinKeys: readonly string[];
  /** Pairs (`view \0 id`) the source recently said do not exist; see `negativeCacheTtlMs`. */
  readonly #unknown: LRUCache<string, true> | null;
  readonly #counters: Counters = {
    requests: 0,
    onlineHits: 0,
    onlineMisses: 0,
    onlineStoreFailures: 0,
    negativeCacheHits: 0,
    sourceReads: 0,
    sourceEntities: 0,
    sourceSharedEntities: 0,
    sourceFailures: 0,
    refilledRows: 0,
    refillFailures: 0,
  };

  constructor(
    private readonly catalog: Catalog,
    private readonly onlineStore: OnlineStore,
    sourceReader: SourceFeatureReader,
    options: GetOnlineFeaturesOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#logger = options.logger ?? NO_LOGGER;
    this.#joinKeys = catalog.entities.map((e) => e.joinKey);
    const negativeTtl = options.negativeCacheTtlMs ?? 5_000;
    this.#unknown = negativeTtl > 0 ? new LRUCache<string, true>({ max: options.negativeCacheMaxEntries ?? 100_000, ttl: negativeTtl, ttlAutopurge: false }) : null;
    // Only availability problems trip the breakers; other FeatureStoreErrors (a corrupt stored value, a
    // source value out of range) say nothing about the dependency's health.
    this.#storeBreaker = createBreaker(
      'online-store',
      (keys: readonly EntityKey[], views: readonly string[]) => onlineStore.read(keys, views),
      { timeoutMs: options.onlineStoreTimeoutMs, ...options.onlineStoreBreaker },
      { timeoutMs: 100, resetTimeoutMs: 5_000 },
      (e) => e instanceof FeatureStoreError && !(e instanceof OnlineStoreUnavailableError),
    );
    this.#sourceBreaker = createBreaker(
      'source',
      (view: string, ids: readonly string[], asOf: Date) => sourceReader.readView(view, ids, asOf),
      { timeoutMs: options.sourceTimeoutMs, ...options.sourceBreaker },
      { timeoutMs: 2_000, resetTimeoutMs: 5_000 },
      (e) => e instanceof FeatureStoreError,
    );
    for (const [name, breaker] of [
      ['online store', this.#storeBreaker],
      ['source', this.#sourceBreaker],
    ] as const) {
      breaker.on('open', () => this.#logger.warn(`Circuit breaker for the ${name} opened: reads skip it until it half-opens`));
      breaker.on('halfOpen', () => this.#logger.log(`Circuit breaker for the ${name} half-open: trying it again`));
      breaker.on('close', () => this.#logger.log(`Circuit breaker for the ${name} closed: it answers again`));
    }
    const refreshMs = options.streamWatermarkRefreshMs ?? 1_000;
    if (refreshMs > 0 && onlineStore.readStreamWatermark) {
      void this.refreshStreamWatermark();
      this.#watermarkTimer = setInterval(() => void this.refreshStreamWatermark(), refreshMs);
      this.#watermarkTimer.unref();
    }
  }

  async execute(command: GetOnlineFeaturesCommand): Promise<GetOnlineFeaturesResult> {
    const plan = this.#plan(command);
    this.#counters.requests++;
    const now = this.#clock();
    const pairs = await this.#readPairs(plan, now);
    const inputs = command.requestContext ?? {};
    const results = plan.rows.map((row) => {
      const served = (ref: string): FeatureValue | null => {
        const parsed = parseFeatureRef(ref);
        if (!parsed) return null;
        const view = this.catalog.getView(parsed.view);
        const def = view.features.find((f) => f.name === parsed.feature);
        if (!def) return null;
        return this.#storedResult(view, def.name, def.default, pairs, row, now).value;
      };
      const values = plan.features.map((f): FeatureResult => {
        if (f.kind === 'stored') return this.#storedResult(f.view, f.feature.name, f.feature.default, pairs, row, now);
        const stored: Record<string, FeatureValue | null> = {};
        for (const ref of f.feature.reads) stored[ref] = served(ref);
        const value = computeRequestFeatures(f.view, inputs, stored, [f.feature.name])[f.feature.name] ?? null;
        return value === null ? { value: f.feature.default, status: 'DEFAULT', eventTime: now } : { value, status: 'PRESENT', eventTime: now };
      });
      return { entityRow: row, values };
    });
    return { feature_names: plan.features.map((f) => f.ref), results };
  }

  /** Counters and breaker states, for metrics and health output. */
  stats(): GetOnlineFeaturesStats {
    return { ...this.#counters, onlineStoreBreaker: breakerState(this.#storeBreaker), sourceBreaker: breakerState(this.#sourceBreaker) };
  }

  /**
   * Forgets what this instance holds about these entities: the online store's cache (L1), if it has one,
   * and the negative cache. Called on feature-update events, so the next read sees the new values.
   */
  invalidate(keys: readonly EntityKey[]): void {
    this.onlineStore.invalidate?.(keys);
    if (!this.#unknown || this.#unknown.size === 0) return;
    for (const key of keys) {
      for (const view of this.catalog.views) if (view.entity.name === key.entity) this.#unknown.delete(flightKey(view.name, key.id));
    }
  }

  /** Resolves when every refill started so far has settled (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#pendingRefills.size > 0) await Promise.all([...this.#pendingRefills]);
  }

  /**
   * Reads the stream watermark from the online store now (the timer does it every
   * `streamWatermarkRefreshMs`). A store that cannot answer keeps the last one: rows then go STALE as
   * their TTLs pass, as they should while nobody can say they are current.
   */
  async refreshStreamWatermark(): Promise<void> {
    try {
      const watermark = await this.onlineStore.readStreamWatermark?.();
      if (watermark) this.#streamWatermarkMs = Math.max(this.#streamWatermarkMs, watermark.getTime());
    } catch {
      // The online store's own failures are counted and logged by reads; the watermark just stays.
    }
  }

  /** Waits for pending refills, then stops the breakers and the watermark timer. Does not close the store or the source. */
  async close(): Promise<void> {
    clearInterval(this.#watermarkTimer);
    await this.drain();
    this.#storeBreaker.shutdown();
    this.#sourceBreaker.shutdown();
  }

  // --- validation -------------------------------------------------------------------------------------

  #plan(command: GetOnlineFeaturesCommand): ReadPlan {
    const { featureService, features } = command;
    if ((featureService === undefined) === (features === undefined)) {
      throw new InvalidFeatureRequestError('INVALID_FEATURE_SELECTION', 'Give either a feature service or a list of features, not both and not neither');
    }
    let resolved: readonly ResolvedFeature[];
    let storedViews: readonly FeatureView[];
    let requestInputs: Readonly<Record<string, ValueType>>;
    if (featureService !== undefined) {
      ({ features: resolved, storedViews, requestInputs } = this.catalog.resolveService(featureService));
    } else {
      if (!Array.isArray(features) || features.length === 0) {
        throw new InvalidFeatureRequestError('INVALID_FEATURE_SELECTION', 'The list of features is empty');
      }
      resolved = this.catalog.resolveRefs(features);
      const views: FeatureView[] = [];
      const inputs: Record<string, ValueType> = {};
      const addView = (v: FeatureView) => views.includes(v) || views.push(v);
      for (const f of resolved) if (f.kind === 'stored') addView(f.view);
      for (const f of resolved) {
        if (f.kind !== 'request') continue;
        Object.assign(inputs, f.feature.inputs);
        for (const ref of f.feature.reads) addView(this.catalog.getView(parseFeatureRef(ref)?.view ?? ref));
      }
      storedViews = views;
      requestInputs = inputs;
    }
    const rows = this.#validateRows(command.entityRows, storedViews, featureService ?? 'the requested features');
    this.#validateInputs(command.requestContext, requestInputs, resolved);
    return { features: resolved, storedViews, rows };
  }

  #validateRows(rows: unknown, views: readonly FeatureView[], what: string): EntityRow[] {
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new InvalidFeatureRequestError('EMPTY_ENTITY_ROWS', 'No entity rows: give at least one');
    }
    if (rows.length > MAX_ENTITY_ROWS) {
      throw new InvalidFeatureRequestError('TOO_MANY_ENTITY_ROWS', `Too many entity rows: ${rows.length}, at most ${MAX_ENTITY_ROWS} per request`);
    }
    const needed = new Map<string, string>(); // join key -> first view needing it
    for (const v of views) if (!needed.has(v.entity.joinKey)) needed.set(v.entity.joinKey, v.name);
    const seen = new Map<string, number>();
    return rows.map((row: unknown, rowIndex): EntityRow => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new InvalidFeatureRequestError('INVALID_ENTITY_ROW', `Entity row ${rowIndex}: expected an object of entity ids, got ${describeValue(row)}`, { rowIndex });
      }
      const ids = row as Record<string, unknown>;
      for (const field of this.#joinKeys) {
        const id = ids[field];
        if (id !== undefined && !isValidEntityId(id)) {
          throw new InvalidFeatureRequestError(
            'INVALID_ENTITY_ID',
            `Entity row ${rowIndex}: invalid ${field} ${describeValue(id)}: expected a positive integer as a decimal string (no leading zeros, at most 9223372036854775807)`,
            { rowIndex, field },
          );
        }
      }
      for (const [field, view] of needed) {
        if (ids[field] === undefined) {
          throw new InvalidFeatureRequestError('MISSING_ENTITY_ID', `Entity row ${rowIndex}: no ${field}, which ${what} needs (view ${view})`, { rowIndex, field });
        }
      }
      const key = this.#joinKeys.map((k) => ids[k] ?? '').join('\0');
      const first = seen.get(key);
      if (first !== undefined) {
        const described = this.#joinKeys.filter((k) => ids[k] !== undefined).map((k) => `${k}=${ids[k] as string}`).join(', ');
        throw new InvalidFeatureRequestError('DUPLICATE_ENTITY_ROW', `Entity row ${rowIndex} (${described}) repeats entity row ${first}`, { rowIndex });
      }
      seen.set(key, rowIndex);
      return ids as EntityRow;
    });
  }

  #validateInputs(context: unknown, needed: Readonly<Record<string, ValueType>>, features: readonly ResolvedFeature[]): void {
    const inputs = (typeof context === 'object' && context !== null ? context : {}) as Record<string, unknown>;
    for (const [name, type] of Object.entries(needed)) {
      const value = inputs[name];
      if (value === undefined || value === null) {
        const users = features.filter((f) => f.kind === 'request' && name in f.feature.inputs).map((f) => f.ref);
        throw new InvalidRequestInputError(name, `required by ${users.join(', ')}`);
      }
      if (!isValueOfType(type, value)) throw new InvalidRequestInputError(name, `${describeValue(value)} is not a valid ${type}`);
    }
  }

  // --- reads --------------------------------------------------------------------------------------------

  /** Every needed (view, entity id) pair's outcome, by view name then id. */
  async #readPairs(plan: ReadPlan, now: Date): Promise<Map<string, Map<string, PairValue>>> {
    const idsByView = new Map<FeatureView, string[]>();
    const keys: EntityKey[] = [];
    const keyIndex = new Map<string, number>();
    for (const view of plan.storedViews) {
      const ids = [...new Set(plan.rows.map((r) => r[view.entity.joinKey] as string))];
      idsByView.set(view, ids);
      for (const id of ids) {
        const k = `${view.entity.name}\0${id}`;
        if (!keyIndex.has(k)) {
          keyIndex.set(k, keys.length);
          keys.push({ entity: view.entity.name, id });
        }
      }
    }
    const viewNames = plan.storedViews.map((v) => v.name);

    let stored: (StoredView | null)[][] | null = null;
    if (keys.length > 0) {
      try {
        stored = await this.#storeBreaker.fire(keys, viewNames);
      } catch (error) {
        this.#counters.onlineStoreFailures++;
        // While the breaker is open every read is skipped on purpose: the breaker's own 'open' event was
        // logged once, and a line per request would flood the logs exactly when they matter.
        if ((error as { code?: string }).code !== 'EOPENBREAKER') this.#logger.warn('Online store read failed: reading from the source', { error: describeError(error) });
      }
    }

    const out = new Map<string, Map<string, PairValue>>();
    const today = utcDayNumber(now);
    const pending: Array<Promise<unknown>> = [];
    for (const [view, ids] of idsByView) {
      const byId = new Map<string, PairValue>();
      out.set(view.name, byId);
      const missing: string[] = [];
      const v = viewNames.indexOf(view.name);
      for (const id of ids) {
        const hit = stored?.[keyIndex.get(`${view.entity.name}\0${id}`) as number]?.[v] ?? null;
        if (hit) {
          this.#counters.onlineHits++;
          // A row kept by the streaming path carries its per-day tiles: on a later day its windows and ages
          // are summed from them as of today, so they move with the clock without a write.
          byId.set(id, hit.tiles === undefined ? hit : { values: valuesOnDay(view, hit, today), eventTime: hit.eventTime, tiles: hit.tiles });
        } else if (this.#unknown?.has(flightKey(view.name, id))) {
          if (stored) this.#counters.onlineMisses++;
          this.#counters.negativeCacheHits++;
          byId.set(id, null);
        } else {
          if (stored) this.#counters.onlineMisses++;
          missing.push(id);
        }
      }
      if (missing.length > 0) {
        pending.push(
          this.#readFromSource(view, missing, now, stored !== null).then((values) => {
            missing.forEach((id, i) => byId.set(id, values[i]));
          }),
        );
      }
    }
    try {
      await Promise.all(pending);
    } catch (error) {
      // A FeatureStoreError from the source (e.g. FeatureComputationError) is a data problem: pass it on.
      if (error instanceof FeatureStoreError) throw error;
      const what = stored ? 'the online store lacks some of them' : 'the online store is unavailable';
      throw new FeaturesUnavailableError(`${what} and the source could not be read (${describeError(error)})`, { cause: error });
    }
    return out;
  }

  /**
   * One view's rows for `ids` from the source, sharing reads already in flight for the same pairs, and
   * refilling the online store with what it started (when `refill`).
   */
  #readFromSource(view: FeatureView, ids: readonly string[], asOf: Date, refill: boolean): Promise<PairValue[]> {
    const fresh: string[] = [];
    for (const id of ids) if (!this.#inFlight.has(flightKey(view.name, id))) fresh.push(id);
    this.#counters.sourceSharedEntities += ids.length - fresh.length;
    if (fresh.length > 0) {
      this.#counters.sourceReads++;
      this.#counters.sourceEntities += fresh.length;
      const batch = this.#sourceBreaker.fire(view.name, fresh, asOf).then(
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
    const p: Promise<void> = this.onlineStore.write(writes, { mode: 'if-newer' }).then(
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

  // --- assembly -----------------------------------------------------------------------------------------

  #storedResult(
    view: FeatureView,
    feature: string,
    fallback: FeatureValue,
    pairs: Map<string, Map<string, PairValue>>,
    row: EntityRow,
    now: Date,
  ): FeatureResult {
    const pair = pairs.get(view.name)?.get(row[view.entity.joinKey] as string) ?? null;
    if (!pair) return { value: fallback, status: 'MISSING', eventTime: null };
    const value = pair.values[feature] ?? null;
    // A row the stream keeps (it has tiles) is known true up to the stream watermark, its event time being
    // only its entity's last change.
    const trueAt = pair.tiles === undefined ? pair.eventTime.getTime() : Math.max(pair.eventTime.getTime(), this.#streamWatermarkMs);
    // STALE wins over DEFAULT: the whole row is old, whatever its values.
    if (trueAt + view.ttlSeconds * 1000 < now.getTime()) return { value: value ?? fallback, status: 'STALE', eventTime: pair.eventTime };
    return value === null ? { value: fallback, status: 'DEFAULT', eventTime: pair.eventTime } : { value, status: 'PRESENT', eventTime: pair.eventTime };
  }
}

function flightKey(view: string, id: string): string {
  return `${view}\0${id}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
