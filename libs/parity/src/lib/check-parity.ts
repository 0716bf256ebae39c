import {
  asOfDayNumber,
  compareEntityIds,
  formatDayNumber,
  formatFeatureRef,
  isValidEntityId,
  utcDayNumber,
  valuesOnDay,
  type Catalog,
  type FeatureRow,
  type FeatureView,
  type SourceFeatureReader,
} from '@bnpl/feature-definitions';
import type { OnlineStore, StoredView } from '@bnpl/online-store';
import { featureValuesEqual } from './feature-values-equal';
import { InvalidParityOptionsError } from './invalid-parity-options.error';
import { MismatchSamples } from './mismatch-samples';

export interface ParityDeps {
  readonly catalog: Catalog;
  readonly source: SourceFeatureReader;
  /** The store checked: its reads only (the offline check passes the history's latest rows through it). */
  readonly online: Pick<OnlineStore, 'read'>;
  /** What "today" is (for `staleDateRows` and the first chunk's as-of). Default: the system clock. */
  readonly now?: () => Date;
}

export interface ParityOptions {
  /** `customer` | `merchant`. */
  readonly entity: string;
  /** Stored views of `entity` to compare. Default: every stored view of the entity. */
  readonly views?: readonly string[];
  /** Inclusive id range (canonical decimal ids). */
  readonly fromId: string;
  readonly toId: string;
  /**
   * Checks exactly these ids (each within `[fromId, toId]`) instead of every id of the range, and detects
   * orphans among them: rows stored online for an id the source does not have. Duplicates are ignored.
   */
  readonly ids?: readonly string[];
  /** Ids per source query. Default 2000. */
  readonly chunkSize?: number;
  /** Mismatch examples kept in the report. Default 20. */
  readonly sampleLimit?: number;
  /**
   * Compare every row against the source as of this instant. Default: each online row against the source
   * as of its own event time's UTC date (see `checkParity`).
   */
  readonly asOf?: Date;
  readonly signal?: AbortSignal;
  /** Called after each chunk, in id order. */
  readonly onProgress?: (progress: ParityProgress) => void;
}

export interface ParityProgress {
  /** Every id <= this is checked. */
  readonly doneThroughId: string;
  readonly entitiesChecked: number;
  readonly mismatchedRows: number;
}

export interface ParityMismatch {
  readonly entityId: string;
  readonly view: string;
  /** The feature name; `*` for a whole row missing online or orphaned. */
  readonly feature: string;
  /** The source's value; for a row missing online, the whole source row; `null` for an orphan. */
  readonly expected: unknown;
  /** The stored value; `null` for a row missing online; for an orphan, the whole stored row. */
  readonly online: unknown;
  readonly kind: 'value' | 'missing-online' | 'orphaned-online';
  /** Event time of the stored row; `null` when nothing is stored. */
  readonly eventTime: Date | null;
}

export interface ParityReport {
  /** Which store was checked: the online store, or the offline history's latest row per entity and view. */
  readonly store: 'online' | 'offline';
  readonly entity: string;
  readonly views: readonly string[];
  /** The range checked, or the bounds of `ids`. */
  readonly fromId: string;
  readonly toId: string;
  /** How many distinct ids were given in `ids`; `null` for a range check. */
  readonly idsGiven: number | null;
  /** The fixed as-of instant, or `null` when each row was compared as of its own event date. */
  readonly asOf: Date | null;
  /** Entities existing in the source. */
  readonly entitiesChecked: number;
  /** (entity, view) pairs compared: those the source has, whether stored online or not. */
  readonly rowsChecked: number;
  /** (entity, view) pairs with at least one differing feature, or missing online. */
  readonly mismatchedRows: number;
  /** (entity, view) pairs the source has but nothing is stored online for. */
  readonly missingOnline: number;
  /** (entity, view) pairs stored online for an id the source does not have (detected among `ids` only). */
  readonly orphanedOnline: number;
  /** `view:feature` -> rows where that feature differs; only non-zero entries. Missing rows are not counted here. */
  readonly byFeature: Readonly<Record<string, number>>;
  /** Compared online rows whose event time's UTC date is before today. */
  readonly staleDateRows: number;
  /** `YYYY-MM-DD` (UTC) -> compared online rows with an event time on that date. */
  readonly rowsByEventDate: Readonly<Record<string, number>>;
  readonly samples: readonly ParityMismatch[];
  /** No mismatched row and no orphan. */
  readonly consistent: boolean;
}

const DEFAULT_CHUNK_SIZE = 2_000;
const DEFAULT_SAMPLE_LIMIT = 20;
const DAY_MS = 86_400_000;

type Chunk = { readonly kind: 'range'; readonly from: string; readonly to: string } | { readonly kind: 'ids'; readonly ids: readonly string[] };

interface Plan {
  readonly store: ParityReport['store'];
  readonly entity: string;
  readonly views: readonly FeatureView[];
  readonly fromId: string;
  readonly toId: string;
  readonly ids: readonly string[] | null;
  readonly chunkSize: number;
  readonly sampleLimit: number;
  readonly asOf: Date | null;
}

/**
 * Recomputes stored views from the source of truth with the batch SQL (`SourceFeatureReader`) and compares
 * them, feature by feature, with what the online store holds: how users prove online/offline consistency,
 * and what crash tests of the writers call after killing them.
 *
 * **As of which instant.** Windows and ages depend only on the UTC date of the as-of instant, while
 * non-windowed aggregates and attributes describe the current source state. So, unless `asOf` is given,
 * each online row is compared with the source as of its own event time's date: a row written yesterday
 * and correct then is not reported because a window moved at midnight, but a missed or wrong data change
 * is. The source is read first as of a reference date (today for the first chunk, then the most common
 * event date of the previous chunk), so usually one query per view per chunk is made; rows of other dates
 * are read again by id, one query per view per date. A row kept by the streaming path carries per-day
 * tiles and is compared as the read path serves it on the reference date (its tiles summed as of it),
 * whatever its event date. A missing or orphaned row needs no date: whether an entity exists does not
 * depend on the as-of instant.
 *
 * **Memory** stays flat: one chunk of `chunkSize` ids (all views) is held at a time, whatever the range.
 *
 * **Orphans** (rows stored online for ids the source lacks) are found only among ids the check is told
 * about: in a range check, the ids the source returns (which exist, so none are found); with `ids`,
 * every one of them. Scanning the online store for keys is deliberately not done.
 *
 * Throws InvalidParityOptionsError (before any I/O) for bad options; errors of the ports pass through.
 */
export async function checkParity(deps: ParityDeps, options: ParityOptions): Promise<ParityReport> {
  return runParity(deps, options, 'online');
}

/** checkParity over any store's reads; `store` names it in the report. */
export async function runParity(deps: ParityDeps, options: ParityOptions, store: ParityReport['store']): Promise<ParityReport> {
  const plan = validate(deps.catalog, options, store);
  const today = utcDayNumber((deps.now ?? (() => new Date()))());
  const tally = new Tally(plan, today);
  let referenceDay = plan.asOf ? utcDayNumber(plan.asOf) : today;
  for (const chunk of chunksOf(plan)) {
    options.signal?.throwIfAborted();
    referenceDay = await checkChunk(deps, plan, chunk, referenceDay, tally);
    options.onProgress?.({ doneThroughId: chunk.kind === 'range' ? chunk.to : chunk.ids[chunk.ids.length - 1], entitiesChecked: tally.entitiesChecked, mismatchedRows: tally.mismatchedRows });
  }
  return tally.report();
}

/** Checks one chunk; returns the most common event date of its online rows (the next reference date). */
async function checkChunk(deps: ParityDeps, plan: Plan, chunk: Chunk, referenceDay: number, tally: Tally): Promise<number> {
  const { views, entity } = plan;
  const primaryAsOf = plan.asOf ?? dayStart(referenceDay);
  const primary = await Promise.all(views.map((v) => readSource(deps.source, v, chunk, primaryAsOf)));

  const ids = chunk.kind === 'ids' ? chunk.ids : unionOfIds(primary);
  if (ids.length === 0) return referenceDay;
  tally.entitiesChecked += chunk.kind === 'ids' ? ids.filter((id) => primary.some((rows) => rows.has(id))).length : ids.length;
  const stored = await deps.online.read(
    ids.map((id) => ({ entity, id })),
    views.map((v) => v.name),
  );

  // Rows whose event date differs from the date the source was read as of, per date, per view.
  const otherDates = new Map<number, Array<Array<{ id: string; stored: StoredView }>>>();
  const dayCounts = new Map<number, number>();
  ids.forEach((id, k) => {
    views.forEach((view, i) => {
      const expected = primary[i].get(id) ?? null;
      const online = stored[k][i];
      if (expected === null) return online === null ? undefined : tally.orphan(view, id, online);
      if (online === null) return tally.missing(view, id, expected);
      const day = utcDayNumber(online.eventTime);
      dayCounts.set(day, (dayCounts.get(day) ?? 0) + 1);
      // A row with per-day tiles answers for the reference day itself (as the read path serves it then),
      // which also checks its tiles against the batch SQL.
      if (online.tiles !== undefined && online.tiles.asOfDay <= referenceDay) {
        return tally.compare(view, id, expected, { ...online, values: valuesOnDay(view, online, referenceDay) });
      }
      if (plan.asOf || day === referenceDay) return tally.compare(view, id, expected, online);
      let perView = otherDates.get(day);
      if (!perView) otherDates.set(day, (perView = views.map(() => [])));
      perView[i].push({ id, stored: online });
    });
  });

  for (const [day, perView] of otherDates) {
    await Promise.all(
      perView.map(async (rows, i) => {
        if (rows.length === 0) return;
        const recomputed = await deps.source.readView(
          views[i].name,
          rows.map((r) => r.id),
          dayStart(day),
        );
        rows.forEach((r, j) => {
          const expected = recomputed[j];
          // Deleted from the source between the two reads: as an orphan, not as a value mismatch.
          if (expected === null) tally.orphan(views[i], r.id, r.stored);
          else tally.compare(views[i], r.id, expected, r.stored);
        });
      }),
    );
  }

  let next = referenceDay;
  let most = 0;
  for (const [day, n] of dayCounts) if (n > most) [next, most] = [day, n];
  return next;
}

async function readSource(source: SourceFeatureReader, view: FeatureView, chunk: Chunk, asOf: Date): Promise<Map<string, FeatureRow>> {
  const byId = new Map<string, FeatureRow>();
  if (chunk.kind === 'range') {
    for (const row of await source.readViewRange(view.name, chunk.from, chunk.to, asOf)) byId.set(row.entityId, row.features);
  } else {
    const rows = await source.readView(view.name, chunk.ids, asOf);
    rows.forEach((features, i) => features && byId.set(chunk.ids[i], features));
  }
  return byId;
}

/** Ids returned for any view, in id order (every view of an entity normally returns the same ids). */
function unionOfIds(perView: readonly Map<string, FeatureRow>[]): string[] {
  const ids = new Set<string>();
  for (const rows of perView) for (const id of rows.keys()) ids.add(id);
  return [...ids].sort(compareEntityIds);
}

function* chunksOf(plan: Plan): Generator<Chunk> {
  if (plan.ids) {
    for (let i = 0; i < plan.ids.length; i += plan.chunkSize) yield { kind: 'ids', ids: plan.ids.slice(i, i + plan.chunkSize) };
    return;
  }
  const size = BigInt(plan.chunkSize);
  const end = BigInt(plan.toId);
  for (let from = BigInt(plan.fromId); from <= end; from += size) {
    const to = from + size - 1n < end ? from + size - 1n : end;
    yield { kind: 'range', from: String(from), to: String(to) };
  }
}

/** Any instant of a UTC date gives the same windows and ages; midnight is the canonical one. */
function dayStart(day: number): Date {
  return new Date(day * DAY_MS);
}

class Tally {
  entitiesChecked = 0;
  rowsChecked = 0;
  mismatchedRows = 0;
  missingOnline = 0;
  orphanedOnline = 0;
  staleDateRows = 0;
  readonly #byFeature = new Map<string, number>();
  readonly #byDate = new Map<number, number>();
  readonly #samples: MismatchSamples;

  constructor(
    private readonly plan: Plan,
    private readonly today: number,
  ) {
    this.#samples = new MismatchSamples(plan.sampleLimit);
  }

  compare(view: FeatureView, entityId: string, expected: FeatureRow, stored: StoredView): void {
    this.rowsChecked++;
    const day = utcDayNumber(stored.eventTime);
    this.#byDate.set(day, (this.#byDate.get(day) ?? 0) + 1);
    if (day < this.today) this.staleDateRows++;
    let differs = false;
    for (const feature of view.features) {
      const want = expected[feature.name] ?? null;
      const got = stored.values[feature.name] ?? null;
      if (featureValuesEqual(feature.valueType, want, got)) continue;
      differs = true;
      const ref = formatFeatureRef(view.name, feature.name);
      this.#byFeature.set(ref, (this.#byFeature.get(ref) ?? 0) + 1);
      this.#samples.offer({ entityId, view: view.name, feature: feature.name, expected: want, online: got, kind: 'value', eventTime: stored.eventTime });
    }
    if (differs) this.mismatchedRows++;
  }

  missing(view: FeatureView, entityId: string, expected: FeatureRow): void {
    this.rowsChecked++;
    this.mismatchedRows++;
    this.missingOnline++;
    this.#samples.offer({ entityId, view: view.name, feature: '*', expected, online: null, kind: 'missing-online', eventTime: null });
  }

  orphan(view: FeatureView, entityId: string, stored: StoredView): void {
    this.orphanedOnline++;
    this.#samples.offer({ entityId, view: view.name, feature: '*', expected: null, online: stored.values, kind: 'orphaned-online', eventTime: stored.eventTime });
  }

  report(): ParityReport {
    const { plan } = this;
    // Feature order of the catalog, so reports of two runs line up.
    const byFeature: Record<string, number> = {};
    for (const view of plan.views) {
      for (const f of view.features) {
        const ref = formatFeatureRef(view.name, f.name);
        const n = this.#byFeature.get(ref);
        if (n) byFeature[ref] = n;
      }
    }
    const rowsByEventDate: Record<string, number> = {};
    for (const day of [...this.#byDate.keys()].sort((a, b) => a - b)) rowsByEventDate[formatDayNumber(day)] = this.#byDate.get(day) ?? 0;
    return {
      store: plan.store,
      entity: plan.entity,
      views: plan.views.map((v) => v.name),
      fromId: plan.fromId,
      toId: plan.toId,
      idsGiven: plan.ids ? plan.ids.length : null,
      asOf: plan.asOf,
      entitiesChecked: this.entitiesChecked,
      rowsChecked: this.rowsChecked,
      mismatchedRows: this.mismatchedRows,
      missingOnline: this.missingOnline,
      orphanedOnline: this.orphanedOnline,
      byFeature,
      staleDateRows: this.staleDateRows,
      rowsByEventDate,
      samples: this.#samples.list(),
      consistent: this.mismatchedRows === 0 && this.orphanedOnline === 0,
    };
  }
}

function validate(catalog: Catalog, options: ParityOptions, store: ParityReport['store']): Plan {
  const entityViews = catalog.views.filter((v) => v.entity.name === options.entity);
  if (!catalog.entities.some((e) => e.name === options.entity)) {
    throw new InvalidParityOptionsError('entity', `unknown entity "${options.entity}"; expected one of ${catalog.entities.map((e) => e.name).join(', ')}`);
  }
  let views: FeatureView[];
  if (options.views === undefined) {
    views = entityViews;
    if (views.length === 0) throw new InvalidParityOptionsError('entity', `entity "${options.entity}" has no stored views`);
  } else {
    if (options.views.length === 0) throw new InvalidParityOptionsError('views', 'is empty');
    views = [...new Set(options.views)].map((name) => {
      const view = entityViews.find((v) => v.name === name);
      if (view) return view;
      const other = catalog.views.find((v) => v.name === name);
      throw new InvalidParityOptionsError(
        'views',
        other ? `"${name}" is a view of ${other.entity.name}, not ${options.entity}` : `unknown stored view "${name}"; ${options.entity} has ${entityViews.map((v) => v.name).join(', ')}`,
      );
    });
  }
  for (const key of ['fromId', 'toId'] as const) {
    if (!isValidEntityId(options[key])) throw new InvalidParityOptionsError(key, `${JSON.stringify(options[key])} is not a canonical entity id (a positive decimal integer, no leading zeros)`);
  }
  if (compareEntityIds(options.fromId, options.toId) > 0) throw new InvalidParityOptionsError('fromId', `${options.fromId} is after toId ${options.toId}`);
  let ids: string[] | null = null;
  if (options.ids !== undefined) {
    for (const id of options.ids) {
      if (!isValidEntityId(id)) throw new InvalidParityOptionsError('ids', `${JSON.stringify(id)} is not a canonical entity id`);
      if (compareEntityIds(id, options.fromId) < 0 || compareEntityIds(id, options.toId) > 0) throw new InvalidParityOptionsError('ids', `${id} is outside [${options.fromId}, ${options.toId}]`);
    }
    ids = [...new Set(options.ids)].sort(compareEntityIds);
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new InvalidParityOptionsError('chunkSize', `must be an integer >= 1, got ${String(chunkSize)}`);
  const sampleLimit = options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT;
  if (!Number.isSafeInteger(sampleLimit) || sampleLimit < 0) throw new InvalidParityOptionsError('sampleLimit', `must be an integer >= 0, got ${String(sampleLimit)}`);
  if (options.asOf !== undefined) {
    try {
      asOfDayNumber(options.asOf);
    } catch {
      throw new InvalidParityOptionsError('asOf', `${String(options.asOf)} is not a valid Date`);
    }
  }
  return { store, entity: options.entity, views, fromId: options.fromId, toId: options.toId, ids, chunkSize, sampleLimit, asOf: options.asOf ?? null };
}
