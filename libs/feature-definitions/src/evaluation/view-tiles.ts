import { FeatureComputationError } from '../errors/feature-computation.error';
import type { FeatureView } from '../model/catalog';
import type { FeatureRow, FeatureValue } from '../model/value-type';
import type { AggregatePlan, PlannedFeature, PlannedOperand } from '../model/view-plan';
import { dayOfTemporal, normaliseColumnValue, type NormalisedValue, type SourceRow } from './column-value';
import { evaluatePredicate } from './evaluate-predicate';
import { divideRoundHalfUp } from './money-arithmetic';
import { asOfDayNumber, isInWindow, type DayNumber } from './window';
import { must } from '../internal/must';

/** Source rows by source (table) name. Missing sources count as no rows. */
export type RowsBySource = Readonly<Record<string, readonly SourceRow[] | undefined>>;

/**
 * One UTC day's partial of a windowed aggregate: the day's count, sum or max (a number, max possibly
 * null when every value of the day was NULL), or for `count_distinct` the day's distinct values, sorted.
 */
export type TilePartial = number | null | readonly NormalisedValue[];

/** `[day, partial]` pairs in ascending day order; days without a matching row are absent. */
export type Tiles = readonly (readonly [DayNumber, TilePartial])[];

/**
 * One entity's view reduced to what its values as of any later day depend on: the per-day tiles of its
 * windowed aggregates, and the day-independent rest. Summing the tiles inside a window as of day D gives
 * exactly the window's aggregate as of D, so a reader can move the windows with the clock without
 * touching the source (`evaluateViewTiles`). Plain data (numbers, strings, arrays, objects), so it
 * serialises as is.
 *
 * Tiles are kept for every day from the first day of the aggregate's window as of `asOfDay` on, future
 * days included: an instalment due next week enters the 7-day window next week. Earlier days can never
 * re-enter a window, so they are dropped; the tiles are therefore valid for any day >= `asOfDay`.
 */
export interface ViewTiles {
  /** The UTC day the tiles were summarised as of; they answer for that day and every later one. */
  readonly asOfDay: DayNumber;
  /** The entity's currency (MONEY values), or null when it has none. */
  readonly currency: string | null;
  /** By feature name: an attribute's normalised value; for an `age_days` feature, the column's UTC day. */
  readonly columns: Readonly<Record<string, NormalisedValue | null>>;
  /** By aggregate id: the value of each non-windowed aggregate (it does not depend on the day). */
  readonly totals: Readonly<Record<string, number | null>>;
  /** By aggregate id: the per-day partials of each windowed aggregate. */
  readonly tiles: Readonly<Record<string, Tiles>>;
}

/**
 * Summarises one entity's rows into per-day tiles as of `asOf` (see ViewTiles).
 *
 * @param entityRow the entity's row of its own table, or null when the entity does not exist (then null).
 * @param rowsBySource rows of the sources the view aggregates over; rows of other entities are ignored.
 * @param totals the values of the view's non-windowed aggregates by aggregate id, when already computed
 *   (by SQL, next to the rows): then `rowsBySource` need only hold the rows windows can still reach.
 * @throws FeatureComputationError for a source value of the wrong shape or a sum beyond 2^53;
 *   InvalidAsOfError for an invalid `asOf`.
 */
export function summariseViewTiles(
  view: FeatureView,
  entityRow: SourceRow | null,
  rowsBySource: RowsBySource,
  asOf: Date,
  totals?: Readonly<Record<string, number | null>>,
): ViewTiles | null {
  const asOfDay = asOfDayNumber(asOf);
  if (entityRow === null) return null;
  const entity = view.entity;
  const entityId = normaliseColumnValue('ID', entityRow[entity.idColumn], `${entity.source.name}.${entity.idColumn}`);
  if (entityId === null) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${entity.source.name} row has no ${entity.idColumn}`);
  const currency =
    entity.currencyColumn === undefined
      ? null
      : (normaliseColumnValue('STRING', entityRow[entity.currencyColumn], `${entity.source.name}.${entity.currencyColumn}`) as string | null);

  const columns: Record<string, NormalisedValue | null> = {};
  for (const f of view.plan.features) {
    const c = f.computation;
    if (c.kind !== 'attribute' && c.kind !== 'age_days') continue;
    const v = normaliseColumnValue(c.columnType, entityRow[c.column], `${entity.source.name}.${c.column}`);
    columns[f.name] = c.kind === 'age_days' && v !== null ? dayOfTemporal(c.columnType, v as number) : v;
  }

  const totalsOut: Record<string, number | null> = {};
  const tiles: Record<string, Tiles> = {};
  for (const sp of view.plan.sources) {
    const source = sp.source;
    for (const a of sp.aggregates) if (!a.window && totals) totalsOut[a.id] = must(totals[a.id], `total ${a.id}`);
    const rows = rowsBySource[source.name] ?? [];
    if (rows.length === 0) {
      // Nothing to summarise (a reader that computed the tiles itself passes no rows): empty tiles, zero totals.
      for (const a of sp.aggregates) {
        if (a.window) tiles[a.id] = [];
        else if (!totals) totalsOut[a.id] = new Accumulator(a).value();
      }
      continue;
    }
    const states = sp.aggregates.filter((a) => a.window || !totals).map((a) => ({
      plan: a,
      firstDay: a.window ? asOfDay - a.window.days + 1 : undefined,
      total: new Accumulator(a),
      byDay: new Map<DayNumber, Accumulator>(),
    }));
    for (const row of rows) {
      const key = normaliseColumnValue('ID', row[sp.keyColumn], `${source.name}.${sp.keyColumn}`);
      if (key !== entityId) continue;
      // Every window of a source is over its one time column: the row's day is worked out once.
      let rowDay: number | null | undefined;
      for (const s of states) {
        const a = s.plan;
        let acc = s.total;
        if (a.window) {
          if (rowDay === undefined) {
            const t = normaliseColumnValue(a.window.columnType, row[a.window.column], `${source.name}.${a.window.column}`) as number | null;
            rowDay = t === null ? null : dayOfTemporal(a.window.columnType, t);
          }
          const day = rowDay;
          if (day === null || day < (s.firstDay as number)) continue;
          acc = s.byDay.get(day) ?? new Accumulator(a);
          s.byDay.set(day, acc);
        }
        if (a.where && !evaluatePredicate(a.where, row, source)) continue;
        acc.add(row, view.name, entityId as string);
      }
    }
    for (const s of states) {
      if (!s.plan.window) {
        totalsOut[s.plan.id] = s.total.value();
        continue;
      }
      const days = [...s.byDay.entries()].filter(([, acc]) => acc.rows > 0).sort((x, y) => x[0] - y[0]);
      tiles[s.plan.id] = days.map(([day, acc]) => [day, acc.partial()] as const);
    }
  }
  return { asOfDay, currency, columns, totals: totalsOut, tiles };
}

/**
 * An entity's values of a view as of UTC day `day`, from its tiles: each windowed aggregate is the fold of
 * the tiles inside its window as of `day`; everything else is computed exactly as the batch SQL does.
 *
 * @param day a UTC day >= `tiles.asOfDay` (earlier days lost the tiles they would need: RangeError).
 * @returns feature name -> value, in declaration order; null where the definition yields no value.
 * @throws FeatureComputationError for a windowed sum beyond 2^53.
 */
export function evaluateViewTiles(view: FeatureView, tiles: ViewTiles, day: DayNumber): FeatureRow {
  if (day < tiles.asOfDay) throw new RangeError(`tiles of ${view.name} as of day ${tiles.asOfDay} cannot answer for the earlier day ${day}`);
  const aggregate = (a: AggregatePlan): number | null => {
    if (!a.window) return must(tiles.totals[a.id], `total ${a.id}`);
    return foldTiles(a, must(tiles.tiles[a.id], `tiles ${a.id}`), day, a.window.days, view.name);
  };

  const raw = new Map<string, number | NormalisedValue | null>();
  const operand = (o: PlannedOperand): number | null =>
    (o.kind === 'aggregate' ? aggregate(o.aggregate) : must(raw.get(o.feature), 'ratio operand')) as number | null;
  const rawOf = (f: PlannedFeature): number | NormalisedValue | null => {
    const c = f.computation;
    switch (c.kind) {
      case 'attribute':
        return must(tiles.columns[f.name], f.name);
      case 'age_days': {
        const columnDay = must(tiles.columns[f.name], f.name) as number | null;
        if (columnDay === null) return null;
        return day - columnDay >= 0 ? day - columnDay : null;
      }
      case 'aggregate':
        return aggregate(c.aggregate);
      case 'ratio': {
        const n = operand(c.numerator);
        const d = operand(c.denominator);
        if (n === null || d === null || d === 0) return null;
        return f.valueType === 'MONEY' ? divideRoundHalfUp(n, d) : n / d;
      }
    }
  };
  // Ratios read other features' raw values, and never other ratios: two passes suffice.
  for (const f of view.plan.features) if (f.computation.kind !== 'ratio') raw.set(f.name, rawOf(f));
  for (const f of view.plan.features) if (f.computation.kind === 'ratio') raw.set(f.name, rawOf(f));

  const out: Record<string, FeatureValue | null> = {};
  for (const f of view.plan.features) {
    const v = must(raw.get(f.name), f.name);
    if (v === null) out[f.name] = null;
    else if (f.valueType === 'MONEY') out[f.name] = tiles.currency === null ? null : { amountMinor: v as number, currency: tiles.currency };
    else out[f.name] = v as FeatureValue;
  }
  return out;
}

/** The aggregate over the tiles whose day is in the window of `windowDays` as of `day`. */
function foldTiles(a: AggregatePlan, tiles: Tiles, day: DayNumber, windowDays: number, viewName: string): number | null {
  let count = 0;
  let max: number | null = null;
  const distinct = a.fn === 'count_distinct' ? new Set<NormalisedValue>() : undefined;
  for (const [tileDay, partial] of tiles) {
    if (!isInWindow(tileDay, day, windowDays)) continue;
    if (distinct) for (const v of partial as readonly NormalisedValue[]) distinct.add(v);
    else if (a.fn === 'max') max = partial === null || (max !== null && max >= (partial as number)) ? max : (partial as number);
    else count = checkedAdd(count, partial as number, a, viewName);
  }
  return distinct ? distinct.size : a.fn === 'max' ? max : count;
}

function checkedAdd(x: number, y: number, a: AggregatePlan, viewName: string): number {
  const sum = x + y;
  if (!Number.isSafeInteger(sum)) {
    throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `sum of ${a.source.name}.${a.column} for ${viewName} is beyond 2^53`);
  }
  return sum;
}

/** One aggregate's running value over some rows (all of an entity's, or one day's). */
class Accumulator {
  rows = 0;
  #sum = 0;
  #max: number | null = null;
  #distinct: Set<NormalisedValue> | undefined;

  constructor(private readonly plan: AggregatePlan) {
    if (plan.fn === 'count_distinct') this.#distinct = new Set();
  }

  add(row: SourceRow, viewName: string, entityId: string): void {
    const a = this.plan;
    this.rows += 1;
    if (a.fn === 'count') {
      this.#sum += 1;
      return;
    }
    const column = must(a.column, `${a.id} column`);
    const v = normaliseColumnValue(must(a.columnType, `${a.id} column type`), row[column], `${a.source.name}.${column}`);
    if (v === null) return;
    if (this.#distinct) this.#distinct.add(v);
    else if (a.fn === 'max') this.#max = this.#max === null || (v as number) > this.#max ? (v as number) : this.#max;
    else {
      this.#sum += v as number;
      if (!Number.isSafeInteger(this.#sum)) {
        throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `sum of ${a.source.name}.${a.column} for ${viewName} entity ${entityId} is beyond 2^53`);
      }
    }
  }

  /** The aggregate's value over the rows added: counts and sums 0 without rows, max null. */
  value(): number | null {
    return this.#distinct ? this.#distinct.size : this.plan.fn === 'max' ? this.#max : this.#sum;
  }

  /** The tile form: as `value`, but the distinct values themselves for count_distinct (days are unioned). */
  partial(): TilePartial {
    if (!this.#distinct) return this.value();
    return [...this.#distinct].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  }
}

const fingerprints = new WeakMap<FeatureView, string>();

/**
 * A short hash of what a view's ViewTiles mean: its aggregates (ids, sources, functions, columns,
 * conditions, windows) and its features' computations. Stored beside tiles, it lets a reader recognise
 * tiles written under another definition of the view (after a deploy that changed it) and ignore them
 * rather than misread them.
 */
export function viewTilesFingerprint(view: FeatureView): string {
  let fingerprint = fingerprints.get(view);
  if (fingerprint === undefined) {
    const aggregates = view.plan.sources.flatMap((sp) =>
      sp.aggregates.map((a) => [a.id, a.source.name, a.keyColumn, a.fn, a.column ?? null, a.where ?? null, a.window ?? null]),
    );
    const features = view.plan.features.map((f) => [f.name, f.valueType, f.definition.compute]);
    fingerprint = fnv1a(JSON.stringify([aggregates, features]));
    fingerprints.set(view, fingerprint);
  }
  return fingerprint;
}

/** 32-bit FNV-1a as 8 hex digits: enough to tell definitions apart, not a security hash. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The last day each stored row was evaluated for, and the values: rows are shared, immutable cache entries. */
const evaluated = new WeakMap<object, { readonly day: DayNumber; readonly values: FeatureRow }>();

/**
 * The values of a stored row as of UTC day `day`: its stored values on the day its tiles were summarised
 * (or when it has none, or for an earlier day), otherwise those computed from its tiles, so that a value
 * kept by the streaming path moves out of its windows, and its ages grow, with the clock alone. The
 * computed values are remembered per row object and day, so a row served from a cache many times a day
 * is summed once.
 */
export function valuesOnDay(view: FeatureView, stored: { readonly values: FeatureRow; readonly tiles?: ViewTiles }, day: DayNumber): FeatureRow {
  const tiles = stored.tiles;
  if (tiles === undefined || day <= tiles.asOfDay) return stored.values;
  const known = evaluated.get(stored);
  if (known?.day === day) return known.values;
  const values = evaluateViewTiles(view, tiles, day);
  evaluated.set(stored, { day, values });
  return values;
}

/**
 * True when `value` has the shape of ViewTiles (a decoder's check of stored data; it does not prove the
 * tiles match a view: the fingerprint does that).
 */
export function isViewTiles(value: unknown): value is ViewTiles {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!Number.isSafeInteger(t['asOfDay']) || !(t['currency'] === null || typeof t['currency'] === 'string')) return false;
  if (!isRecord(t['columns']) || !isRecord(t['totals']) || !isRecord(t['tiles'])) return false;
  if (!Object.values(t['totals']).every((v) => v === null || typeof v === 'number')) return false;
  return Object.values(t['tiles']).every(
    (days) => Array.isArray(days) && days.every((d) => Array.isArray(d) && d.length === 2 && Number.isSafeInteger(d[0]) && (d[1] === null || typeof d[1] === 'number' || Array.isArray(d[1]))),
  );
}
