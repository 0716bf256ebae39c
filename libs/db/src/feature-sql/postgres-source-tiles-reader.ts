import {
  FeatureComputationError,
  asOfDayNumber,
  assertEntityId,
  normaliseColumnValue,
  predicateColumns,
  summariseViewTiles,
  type AggregatePlan,
  type PlannedWindow,
  type SourcePlan,
  type Catalog,
  type ColumnType,
  type FeatureView,
  type SourceRow,
  type SourceTilesReader,
  type ViewTiles,
} from '@bnpl/feature-definitions';
import { renderAggregate, renderWindowStart } from './compile-view-query';
import type { SqlQueryFn } from './postgres-source-feature-reader';
import { quoteIdent } from './sql-text';

export interface CompiledTilesQuery {
  /** `$1` as-of timestamptz, `$2` bigint[] of entity ids. */
  readonly sql: string;
  /** Per source with windowed aggregates: result column `w<i>` holds its rows as arrays of `columns`. */
  readonly windowed: ReadonlyArray<{ readonly source: string; readonly columns: readonly string[] }>;
  /** Per source with non-windowed aggregates: result column `n<i>` holds their values, in `aggregates` order. */
  readonly totals: ReadonlyArray<{ readonly aggregates: readonly string[] }>;
}

/**
 * A column as text that `normaliseColumnValue` reads back exactly whatever the session's settings:
 * integers as decimal text (JSON would round those beyond 2^53), dates as `YYYY-MM-DD` (not DateStyle's
 * choice), timestamps as UTC ISO 8601 to the millisecond (only their UTC day matters: windows and ages).
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
      return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    default:
      return col;
  }
}

/** The columns windowed aggregates read: key, time, conditions and aggregated columns. */
function windowedColumns(sp: SourcePlan, aggregates: readonly AggregatePlan[]): string[] {
  const columns = new Set<string>([sp.keyColumn]);
  for (const a of aggregates) {
    if (a.window) columns.add(a.window.column);
    if (a.where) predicateColumns(a.where).forEach((c) => columns.add(c));
    if (a.column !== undefined) columns.add(a.column);
  }
  return [...columns];
}

/**
 * Compiles the query that reads what a view's tiles are summarised from, for a list of entities, in one
 * statement (one snapshot, one round trip), one row per existing entity:
 * - the entity's own columns (id, currency, attribute and age columns), as text;
 * - per source with non-windowed aggregates, their values computed in SQL (the batch SQL's own aggregate
 *   expressions) as a JSON array of text: those do not depend on the day, so no rows need to travel;
 * - per source with windowed aggregates, a JSON array of the rows that may fall in one of their windows
 *   as of the as-of date or later (from the widest window's first day on, with no upper edge: future-dated
 *   rows enter windows later), holding only the columns those aggregates read, as text, so an integer
 *   beyond 2^53 is not silently rounded by JSON parsing.
 * The per-day tiles are then summarised from those rows by the catalog's evaluator.
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

  const windowed: Array<{ source: string; columns: string[] }> = [];
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
      const columns = windowedColumns(sp, moving);
      const row = columns.map((c) => renderColumn('t', c, sp.source.columns[c].type)).join(', ');
      select.push(`(SELECT json_agg(json_build_array(${row})) ${from} AND ${renderWindowStart('t', widest)}) AS ${quoteIdent(`w${windowed.length}`)}`);
      windowed.push({ source: sp.source.name, columns });
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
 * (`compileTilesQuery`, cached per view), whose rows are summarised by the catalog's own evaluator
 * (`summariseViewTiles`). See the port for the contract.
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
      const rowsBySource: Record<string, SourceRow[]> = {};
      compiled.windowed.forEach((w, i) => (rowsBySource[w.source] = decodeJsonRows(row[`w${i}`], w.columns, `${view.name} ${w.source}`)));
      const totals: Record<string, number | null> = {};
      compiled.totals.forEach((t, i) => {
        const values = parseJson(row[`n${i}`], `${view.name} totals`);
        t.aggregates.forEach((a, k) => (totals[a] = normaliseColumnValue('INT64', Array.isArray(values) ? values[k] : undefined, `${view.name} ${a}`) as number | null));
      });
      byId.set(String(row[view.entity.idColumn]), summariseViewTiles(view, row, rowsBySource, asOf, totals));
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }
}

/** A `json_agg` of row arrays (a string or, with pg's JSON parser, already parsed; NULL without rows) as objects. */
function decodeJsonRows(value: unknown, columns: readonly string[], what: string): SourceRow[] {
  if (value === null || value === undefined) return [];
  const arrays = parseJson(value, what);
  if (!Array.isArray(arrays)) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${what}: expected a JSON array of rows`);
  return arrays.map((cells: unknown) => {
    if (!Array.isArray(cells) || cells.length !== columns.length) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${what}: a row of ${columns.length} columns expected`);
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => (row[c] = cells[i]));
    return row;
  });
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
