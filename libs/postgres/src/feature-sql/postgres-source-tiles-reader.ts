import {
  FeatureComputationError,
  asOfDayNumber,
  assertEntityId,
  normaliseColumnValue,
  summariseViewTiles,
  type AggregatePlan,
  type NormalisedValue,
  type PlannedWindow,
  type TilePartial,
  type Tiles,
  type Catalog,
  type ColumnType,
  type FeatureView,
  type SourceTilesReader,
  type ViewTiles,
} from '@bnpl/feature-definitions';
import { aggregateArgument, renderAggregate, renderWindowStart } from './compile-view-query';
import type { SqlQueryFn } from './postgres-source-feature-reader';
import { quoteIdent } from './sql-text';

export interface CompiledTilesQuery {
  /** `$1` as-of timestamptz, `$2` bigint[] of entity ids. */
  readonly sql: string;
  /**
   * Per source with windowed aggregates: result column `w<i>` holds one JSON array per UTC day with rows,
   * `[day number, partial of aggregates[0], partial of aggregates[1], ...]`, in day order.
   */
  readonly windowed: ReadonlyArray<{ readonly aggregates: readonly AggregatePlan[] }>;
  /** Per source with non-windowed aggregates: result column `n<i>` holds their values, in `aggregates` order. */
  readonly totals: ReadonlyArray<{ readonly aggregates: readonly string[] }>;
}

/**
 * An entity column in a form `normaliseColumnValue` reads back exactly whatever the session's settings:
 * integers as decimal text (node-postgres would give int8 as text anyway; a number could round beyond
 * 2^53), dates as `YYYY-MM-DD` (not DateStyle's choice), timestamps as epoch milliseconds in a float8
 * (exact below 2^53 ms, and only their UTC day matters: ages).
 */
function renderColumn(alias: string, column: string, type: ColumnType): string {
  const col = `${alias}.${quoteIdent(column)}`;
  switch (type) {
    case 'ID':
    case 'INT64':
    case 'MONEY_MINOR':
      return `${col}::text`;
    case 'DATE':
      return `to_char(${col}, 'YYYY-MM-DD')`;
    case 'TIMESTAMP':
      return `floor(extract(epoch FROM ${col}) * 1000)::float8`;
    default:
      return col;
  }
}

/** The UTC day number (days since 1970-01-01) of a window's time column. */
function renderDay(alias: string, w: PlannedWindow): string {
  const col = `${alias}.${quoteIdent(w.column)}`;
  return w.columnType === 'DATE' ? `(${col} - DATE '1970-01-01')` : `((${col} AT TIME ZONE 'UTC')::date - DATE '1970-01-01')`;
}

/**
 * One windowed aggregate's partial over a day's rows (a GROUP BY day), as text or a text array: its
 * condition and, when its window is narrower than the source's widest, its own window's lower edge go in
 * `CASE WHEN` as in the batch SQL. NULL (or 0, or an empty array) means nothing for that day.
 */
function renderPartial(a: AggregatePlan, widest: PlannedWindow): string {
  const { arg, column: col } = aggregateArgument(a, a.window && a.window.days !== widest.days ? renderWindowStart('t', a.window) : undefined);
  switch (a.fn) {
    case 'count':
      return `count(${arg('1')})::text`;
    case 'sum':
      return `sum(${arg(col)})::text`;
    case 'max':
      return `max(${arg(col)})::text`;
    case 'count_distinct':
      return `array_agg(DISTINCT (${arg(col)})::text)`;
  }
}

/**
 * Compiles the query that reads a view's tiles for a list of entities in one statement (one snapshot,
 * one round trip), one row per existing entity:
 * - the entity's own columns (id, currency, attribute and age columns);
 * - per source with non-windowed aggregates, their values computed in SQL (the batch SQL's own aggregate
 *   expressions) as a JSON array of text: those do not depend on the day;
 * - per source with windowed aggregates, the per-day tiles computed in SQL: the rows that may fall in one
 *   of their windows as of the as-of date or later (from the widest window's first day on, with no upper
 *   edge: future-dated rows enter windows later), grouped by UTC day, each aggregate's partial as text (an
 *   integer beyond 2^53 is not rounded by JSON parsing) or, for count_distinct, the day's distinct values.
 * Tiles summed inside a window equal the batch SQL's aggregate over it (the parity int-spec proves it).
 */
export function compileTilesQuery(view: FeatureView): CompiledTilesQuery {
  const entity = view.entity;
  const e = 'e';
  const id = `${e}.${quoteIdent(entity.idColumn)}`;
  const entityColumns = [entity.idColumn];
  if (entity.currencyColumn !== undefined) entityColumns.push(entity.currencyColumn);
  for (const f of view.plan.features) {
    const c = f.computation;
    if ((c.kind === 'attribute' || c.kind === 'age_days') && !entityColumns.includes(c.column)) entityColumns.push(c.column);
  }
  const select = entityColumns.map((c) => `${renderColumn(e, c, entity.source.columns[c].type)} AS ${quoteIdent(c)}`);

  const windowed: Array<{ aggregates: AggregatePlan[] }> = [];
  const totals: Array<{ aggregates: string[] }> = [];
  for (const sp of view.plan.sources) {
    const byEntity = `t.${quoteIdent(sp.keyColumn)} = ${id}`;
    const from = `FROM ${quoteIdent(sp.source.name)} t WHERE ${byEntity}`;
    const fixed = sp.aggregates.filter((a) => !a.window);
    if (fixed.length > 0) {
      // No rows for the entity: counts and sums 0, max NULL (as the batch SQL's COALESCE does).
      const values = fixed.map((a) => `${a.fn === 'max' ? renderAggregate(a, sp) : `COALESCE(${renderAggregate(a, sp)}, 0)`}::text`);
      select.push(`(SELECT json_build_array(${values.join(', ')}) ${from}) AS ${quoteIdent(`n${totals.length}`)}`);
      totals.push({ aggregates: fixed.map((a) => a.id) });
    }
    const moving = sp.aggregates.filter((a) => a.window);
    if (moving.length > 0) {
      const widest = moving.reduce((w, a) => (a.window && a.window.days > w.days ? a.window : w), moving[0].window as PlannedWindow);
      const partials = moving.map((a, k) => `${renderPartial(a, widest)} AS p${k}`).join(', ');
      const cells = ['x.d', ...moving.map((_, k) => `x.p${k}`)].join(', ');
      const days = `SELECT ${renderDay('t', widest)} AS d, ${partials} ${from} AND ${renderWindowStart('t', widest)} GROUP BY 1`;
      select.push(`(SELECT json_agg(json_build_array(${cells}) ORDER BY x.d) FROM (${days}) x) AS ${quoteIdent(`w${windowed.length}`)}`);
      windowed.push({ aggregates: moving });
    }
  }

  const body = select.join(',\n  ');
  // PostgreSQL must be able to type every parameter; a view without windows never reads $1.
  const typeAsOf = body.includes('$1') ? '' : ' AND $1::timestamptz IS NOT NULL';
  const sql =
    `-- tiles of feature view ${view.name}\n` +
    `SELECT ${body}\n` +
    `FROM ${quoteIdent(entity.source.name)} ${e}\n` +
    `WHERE ${id} = ANY($2::bigint[])${typeAsOf}`;
  return { sql, windowed, totals };
}

/**
 * SourceTilesReader over PostgreSQL (and CockroachDB): one statement per view per call
 * (`compileTilesQuery`, cached per view) computes the tiles and totals; the entity's own columns go through
 * the catalog's evaluator (`summariseViewTiles` without rows). See the port for the contract.
 */
export class PostgresSourceTilesReader implements SourceTilesReader {
  readonly #compiled = new Map<string, CompiledTilesQuery>();

  constructor(
    private readonly catalog: Catalog,
    private readonly query: SqlQueryFn,
  ) {}

  async readViewTiles(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<ViewTiles | null>> {
    const view = this.catalog.getView(viewName);
    entityIds.forEach(assertEntityId);
    asOfDayNumber(asOf);
    if (entityIds.length === 0) return [];
    let compiled = this.#compiled.get(view.name);
    if (!compiled) {
      compiled = compileTilesQuery(view);
      this.#compiled.set(view.name, compiled);
    }
    const rows = await this.query(compiled.sql, [asOf, [...new Set(entityIds)]]);
    const byId = new Map<string, ViewTiles | null>();
    for (const row of rows) {
      const totals: Record<string, number | null> = {};
      compiled.totals.forEach((t, i) => {
        const values = parseJson(row[`n${i}`], `${view.name} totals`);
        t.aggregates.forEach((a, k) => (totals[a] = normaliseColumnValue('INT64', Array.isArray(values) ? values[k] : undefined, `${view.name} ${a}`) as number | null));
      });
      // The entity's columns and the totals through the catalog's evaluator (no rows: no tiles), then the
      // tiles SQL computed.
      const base = summariseViewTiles(view, row, {}, asOf, totals);
      if (!base) continue;
      const tiles: Record<string, Tiles> = { ...base.tiles };
      compiled.windowed.forEach((w, i) => Object.assign(tiles, decodeTiles(row[`w${i}`], w.aggregates, `${view.name} ${w.aggregates[0]?.source.name}`)));
      byId.set(String(row[view.entity.idColumn]), { ...base, tiles });
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }
}

/**
 * The tiles of `aggregates` from a `json_agg` of day arrays `[day, <partials in aggregate order>]` (a
 * string or, with pg's JSON parser, already parsed; NULL without rows). Days where an aggregate has
 * nothing (a count or sum of 0, a NULL max, no distinct value) are left out of its tiles.
 */
function decodeTiles(value: unknown, aggregates: readonly AggregatePlan[], what: string): Record<string, Tiles> {
  const out: Record<string, Array<[number, TilePartial]>> = Object.fromEntries(aggregates.map((a) => [a.id, []]));
  if (value === null || value === undefined) return out;
  const days = parseJson(value, what);
  if (!Array.isArray(days)) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${what}: expected a JSON array of days`);
  for (const cells of days as unknown[][]) {
    const day = Array.isArray(cells) ? cells[0] : undefined;
    if (!Number.isSafeInteger(day) || cells.length !== aggregates.length + 1) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${what}: malformed day ${JSON.stringify(cells)}`);
    aggregates.forEach((a, k) => {
      const cell = cells[k + 1];
      const where = `${what} ${a.id}`;
      if (a.fn === 'count_distinct') {
        const type = a.columnType ?? 'STRING';
        const values = Array.isArray(cell) ? cell.filter((v) => v !== null).map((v) => normaliseColumnValue(type, v, where) as NormalisedValue) : [];
        if (values.length > 0) out[a.id].push([day as number, values.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))]);
        return;
      }
      const n = normaliseColumnValue('INT64', cell, where) as number | null;
      if (n !== null && (a.fn === 'max' || n !== 0)) out[a.id].push([day as number, n]);
    });
  }
  return out;
}

/** A JSON result column: pg parses json columns itself; a driver that does not hands over the text. */
function parseJson(value: unknown, what: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${what}: not JSON`);
  }
}
