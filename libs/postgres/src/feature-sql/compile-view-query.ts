import type { AggregatePlan, FeatureView, PlannedComputation, PlannedOperand, PlannedWindow, SourceDefinition, SourcePlan } from '@bnpl/feature-definitions';
import { renderPredicate, type ColumnSql } from './render-predicate';
import { quoteIdent, sqlLiteral } from './sql-text';

/**
 * `ids`: `$1` as-of timestamptz, `$2` bigint[] of entity ids.
 * `range`: `$1` as-of timestamptz, `$2` and `$3` the inclusive bigint id range; rows ordered by id.
 */
export type ViewQueryMode = 'ids' | 'range';

export interface ViewQueryOptions {
  /**
   * A backfill's query: values as of the instant `$1` from what the source can tell about it (see
   * `FeatureView.backfill`): no entity created after it, no row created after it, rebuilt columns as they
   * were then, and NULL for every feature whose past the source does not keep.
   */
  readonly pointInTime?: boolean;
}

/** The view's sources cut down to the aggregates its backfillable features read (through ratios too). */
function backfillSources(view: FeatureView): SourcePlan[] {
  const needed = new Set<string>();
  const features = new Map(view.plan.features.map((f) => [f.name, f] as const));
  const visit = (c: PlannedComputation) => {
    if (c.kind === 'aggregate') needed.add(c.aggregate.id);
    if (c.kind !== 'ratio') return;
    for (const o of [c.numerator, c.denominator]) {
      if (o.kind === 'aggregate') needed.add(o.aggregate.id);
      else {
        const target = features.get(o.feature);
        if (target) visit(target.computation);
      }
    }
  };
  for (const f of view.plan.features) if (view.backfill[f.name].mode !== 'none') visit(f.computation);
  const cut: SourcePlan[] = [];
  for (const sp of view.plan.sources) {
    const aggregates = sp.aggregates.filter((a) => needed.has(a.id));
    if (aggregates.length === 0) continue;
    cut.push(withAggregates(sp, aggregates));
  }
  return cut;
}

/**
 * `sp` computing `aggregates` instead of its own, with the widest window of those as the source's WHERE:
 * rows outside it need no reading. Only when every aggregate is windowed on one column, since
 * `renderAggregate` leaves out the condition of an aggregate whose window has the widest one's days.
 */
function withAggregates(sp: SourcePlan, aggregates: AggregatePlan[]): SourcePlan {
  const column = aggregates[0]?.window?.column;
  let widest: PlannedWindow | undefined;
  for (const { window } of aggregates) {
    if (window === undefined || window.column !== column) return { ...withoutWindow(sp), aggregates };
    if (!widest || window.days > widest.days) widest = window;
  }
  return { ...withoutWindow(sp), aggregates, ...(widest ? { widestWindow: widest } : {}) };
}

function withoutWindow({ widestWindow: _, ...rest }: SourcePlan): Omit<SourcePlan, 'widestWindow'> {
  return rest;
}

/** Result column holding the entity id as text (feature names are lower_snake_case, so no clash). */
export const ENTITY_ID_COLUMN = '__entity_id';
/** Result column holding the entity's currency, for every MONEY feature of the row. */
export const CURRENCY_COLUMN = '__currency';

/** The as-of instant's UTC calendar date. */
const AS_OF_DATE = `(($1::timestamptz AT TIME ZONE 'UTC')::date)`;

/** The instant at which UTC day `asOfDate + offsetDays` starts. */
function utcDayStart(offsetDays: number): string {
  const shifted = offsetDays === 0 ? AS_OF_DATE : `${AS_OF_DATE} ${offsetDays < 0 ? '-' : '+'} ${Math.abs(offsetDays)}`;
  return `((${shifted})::timestamp AT TIME ZONE 'UTC')`;
}

/**
 * The window condition, `asOfDate - N < d <= asOfDate` (see AggregateSpec). A TIMESTAMP column is
 * compared with instants (UTC day starts) rather than converted to a date, so that the
 * `(key, time)` index serves it.
 */
function renderWindow(alias: string, w: PlannedWindow): string {
  const col = `${alias}.${quoteIdent(w.column)}`;
  const end = w.columnType === 'DATE' ? `${col} <= ${AS_OF_DATE}` : `${col} < ${utcDayStart(1)}`;
  return `(${renderWindowStart(alias, w)} AND ${end})`;
}

/**
 * The window's lower edge alone, `d > asOfDate - N`: rows on this side may be in the window as of the
 * as-of date or a later one (per-day tiles keep future days too).
 */
export function renderWindowStart(alias: string, w: PlannedWindow): string {
  const col = `${alias}.${quoteIdent(w.column)}`;
  return w.columnType === 'DATE' ? `${col} > ${AS_OF_DATE} - ${w.days}` : `${col} >= ${utcDayStart(-(w.days - 1))}`;
}

function keyFilter(column: string, mode: ViewQueryMode): string {
  return mode === 'ids' ? `${column} = ANY($2::bigint[])` : `${column} BETWEEN $2::bigint AND $3::bigint`;
}

/** An aggregate's argument over rows of alias `t`: the value under its conditions, and its column. */
export interface AggregateArgument {
  /** `value`, or `CASE WHEN <conditions> THEN value END` when the aggregate has conditions. */
  arg(value: string): string;
  readonly conditional: boolean;
  /** `t."column"` of sum, max and count_distinct. */
  readonly column: string;
}

/**
 * The argument of aggregate `a` with its `where` and, when given, a window condition. Conditions go in
 * `CASE WHEN ... END` inside the aggregate rather than in `FILTER (WHERE ...)`: same result (the CASE
 * yields NULL, which every aggregate skips) and the form every PostgreSQL-compatible engine accepts.
 */
export function aggregateArgument(a: AggregatePlan, windowCondition: string | undefined, column: ColumnSql = (name) => `t.${quoteIdent(name)}`): AggregateArgument {
  const conditions: string[] = [];
  if (windowCondition) conditions.push(windowCondition);
  if (a.where) conditions.push(renderPredicate(a.where, 't', column));
  const when = conditions.join(' AND ');
  return {
    arg: (value) => (when ? `CASE WHEN ${when} THEN ${value} END` : value),
    conditional: when !== '',
    column: a.column === undefined ? '' : column(a.column),
  };
}

/** One aggregate as a SQL aggregate call (see aggregateArgument). */
export function renderAggregate(a: AggregatePlan, sp: SourcePlan, column?: ColumnSql): string {
  // The source's WHERE already applies the widest window; repeat only narrower ones.
  const { arg, conditional, column: col } = aggregateArgument(a, a.window && a.window.days !== sp.widestWindow?.days ? renderWindow('t', a.window) : undefined, column);
  switch (a.fn) {
    case 'count':
      return conditional ? `count(${arg('1')})` : 'count(*)';
    case 'sum':
      return `sum(${arg(col)})`;
    case 'max':
      return `max(${arg(col)})`;
    case 'count_distinct':
      return `count(DISTINCT ${arg(col)})`;
  }
}

/**
 * How a backfill reads a source's column as of `$1`: a column its history rebuilds from the row's own
 * times becomes that expression (see `RebuiltColumn`); every other column is read as it is (the catalog
 * only lets a backfill read immutable or rebuilt columns).
 */
export function pointInTimeColumns(source: SourceDefinition, alias = 't'): ColumnSql {
  return (name) => {
    const col = (c: string) => `${alias}.${quoteIdent(c)}`;
    const rule = source.history?.rebuilt?.[name];
    if (!rule) return col(name);
    const paid = `${col(rule.paidAt)} <= $1::timestamptz`;
    const pastDue = `${col(rule.dueDate)} < ${AS_OF_DATE}`;
    switch (rule.rule) {
      case 'instalment_status':
        return (
          `(CASE WHEN ${paid} THEN ${sqlLiteral('paid')} ` +
          `WHEN ${col(name)} IN (${['paid', 'scheduled', 'overdue'].map(sqlLiteral).join(', ')}) THEN CASE WHEN ${pastDue} THEN ${sqlLiteral('overdue')} ELSE ${sqlLiteral('scheduled')} END ` +
          `ELSE ${col(name)} END)`
        );
      case 'instalment_days_late':
        return `(CASE WHEN ${paid} THEN ${col(name)} WHEN ${pastDue} THEN (${AS_OF_DATE} - ${col(rule.dueDate)}) ELSE 0 END)`;
    }
  };
}

/** `s<i>` CTE: the source's aggregates for the requested entities, one row per entity that has rows. */
function renderSourceCte(sp: SourcePlan, index: number, mode: ViewQueryMode, pointInTime: boolean): string {
  const key = `t.${quoteIdent(sp.keyColumn)}`;
  const filters = [keyFilter(key, mode)];
  if (sp.widestWindow) filters.push(renderWindow('t', sp.widestWindow));
  const created = sp.source.history?.createdAt;
  // A backfill leaves out rows created after the instant (the catalog allows it only where they tell).
  if (pointInTime && created !== undefined) filters.push(`t.${quoteIdent(created)} <= $1::timestamptz`);
  const column = pointInTime ? pointInTimeColumns(sp.source) : undefined;
  const columns = sp.aggregates.map((a) => `${renderAggregate(a, sp, column)} AS ${quoteIdent(a.id)}`);
  return (
    `s${index} AS (\n` +
    `  SELECT ${key} AS k,\n    ${columns.join(',\n    ')}\n` +
    `  FROM ${quoteIdent(sp.source.name)} t\n` +
    `  WHERE ${filters.join('\n    AND ')}\n` +
    `  GROUP BY ${key}\n)`
  );
}

/**
 * Compiles a feature view to one SQL query returning one row per existing entity requested, with
 * `__entity_id` (text), `__currency` (text, for entities with a currency) and one column per feature,
 * typed so that decoding is unambiguous: INT64 and MONEY amounts as bigint, DOUBLE as float8, STRING as
 * text, BOOL as boolean; NULL where the definition yields no value.
 *
 * Each source is aggregated in its own CTE, restricted to the requested ids and to the source's widest
 * window (both served by the `(key, time)` indexes), then LEFT JOINed to the entity table, so an entity
 * without rows in a source still gets its row (counts 0, max NULL). Portable PostgreSQL / CockroachDB
 * SQL: no FILTER, no `//`, integer division through `div`/`mod` on numeric.
 *
 * The values equal `computeFeatureViewFromRows` on the same data (proved by the parity int-spec).
 */
export function compileViewQuery(view: FeatureView, mode: ViewQueryMode, options: ViewQueryOptions = {}): string {
  const pointInTime = options.pointInTime ?? false;
  const sources = pointInTime ? backfillSources(view) : view.plan.sources;
  const cteOf = new Map<string, string>();
  sources.forEach((sp, i) => sp.aggregates.forEach((a) => cteOf.set(a.id, `s${i}`)));
  const raw = featureExpressions(view, 'e', pointInTime, (a) => `${cteOf.get(a.id)}.${quoteIdent(a.id)}`);
  const columns = view.plan.features.map((f) => ({ sql: raw.get(f.name) as string, valueType: f.valueType, name: quoteIdent(f.name) }));
  return renderQuery(`feature view ${view.name}`, view.entity, sources, columns, mode, pointInTime);
}

/** One result column of a compiled query: its expression, value type (for the cast) and quoted name. */
interface ResultColumn {
  readonly sql: string;
  readonly valueType: keyof typeof CAST;
  readonly name: string;
}

/**
 * The query around the features' expressions: one CTE per source plan, each LEFT JOINed to the entity
 * table (alias `e`) restricted to the requested ids (and, for a backfill, to entities existing at `$1`).
 */
function renderQuery(title: string, entity: FeatureView['entity'], sources: readonly SourcePlan[], columns: readonly ResultColumn[], mode: ViewQueryMode, pointInTime: boolean): string {
  const e = 'e';
  const id = `${e}.${quoteIdent(entity.idColumn)}`;
  const ctes = sources.map((sp, i) => renderSourceCte(sp, i, mode, pointInTime));
  const select = [`${id}::text AS ${quoteIdent(ENTITY_ID_COLUMN)}`];
  if (entity.currencyColumn !== undefined) select.push(`${e}.${quoteIdent(entity.currencyColumn)}::text AS ${quoteIdent(CURRENCY_COLUMN)}`);
  for (const c of columns) select.push(`(${c.sql})::${CAST[c.valueType]} AS ${c.name}`);
  const filters = [keyFilter(id, mode)];
  const created = entity.source.history?.createdAt;
  // No entity before it existed.
  if (pointInTime && created !== undefined) filters.push(`${e}.${quoteIdent(created)} <= $1::timestamptz`);

  const body = `${ctes.join('')}${select.join('')}${filters.join('')}`;
  // PostgreSQL must be able to type every parameter; a view without windows or ages never reads $1.
  const typeAsOf = body.includes('$1') ? '' : ' AND $1::timestamptz IS NOT NULL';
  return (
    `-- ${title} (${mode}${pointInTime ? ', point in time' : ''})\n` +
    (ctes.length ? `WITH ${ctes.join(',\n')}\n` : '') +
    `SELECT ${select.join(',\n  ')}\n` +
    `FROM ${quoteIdent(entity.source.name)} ${e}\n` +
    sources.map((_, i) => `LEFT JOIN s${i} ON s${i}.k = ${id}\n`).join('') +
    `WHERE ${filters.join(' AND ')}${typeAsOf}` +
    // Range reads are consumed in id order (checkpoints); id lookups are matched by id instead.
    (mode === 'range' ? `\nORDER BY ${id}` : '')
  );
}

/** The SQL type each value type is returned as, so that decoding is unambiguous. */
const CAST = { INT64: 'bigint', MONEY: 'bigint', DOUBLE: 'float8', STRING: 'text', BOOL: 'boolean' } as const;

/**
 * Each feature's SQL expression (before its cast) over entity alias `e`, reading aggregate `a` at
 * `aggregateColumn(a)` (its CTE's column). A backfill computes only what the source can tell about the
 * past; the rest is NULL.
 */
function featureExpressions(view: FeatureView, e: string, pointInTime: boolean, aggregateColumn: (a: AggregatePlan) => string): Map<string, string> {
  const known = (name: string) => !pointInTime || view.backfill[name].mode !== 'none';
  // No rows for the entity (no CTE row) means 0 for counts and sums, NULL for max.
  const aggregateValue = (a: AggregatePlan): string => (a.fn === 'max' ? aggregateColumn(a) : `COALESCE(${aggregateColumn(a)}, 0)`);
  const raw = new Map<string, string>();
  const rawOf = (c: PlannedComputation, valueType: string): string => {
    switch (c.kind) {
      case 'attribute':
        return `${e}.${quoteIdent(c.column)}`;
      case 'age_days': {
        const col = `${e}.${quoteIdent(c.column)}`;
        const day = c.columnType === 'DATE' ? col : `(${col} AT TIME ZONE 'UTC')::date`;
        const age = `(${AS_OF_DATE} - ${day})`;
        return `CASE WHEN ${age} >= 0 THEN ${age} END`;
      }
      case 'aggregate':
        return aggregateValue(c.aggregate);
      case 'ratio': {
        const n = `(${operand(c.numerator)})`;
        const d = `(${operand(c.denominator)})`;
        if (valueType === 'DOUBLE') return `CASE WHEN ${d} <> 0 THEN ${n}::float8 / ${d}::float8 END`;
        // MONEY: floor((2n + d) / 2d), exact, in numeric; div() truncates towards zero, so step down
        // when the remainder is non-zero and the operands' signs differ.
        const x = `(2 * ${n}::numeric + ${d}::numeric)`;
        const y = `(2 * ${d}::numeric)`;
        return `CASE WHEN ${d} <> 0 THEN div(${x}, ${y}) - CASE WHEN mod(${x}, ${y}) <> 0 AND ((${x} < 0) <> (${y} < 0)) THEN 1 ELSE 0 END END`;
      }
    }
  };
  const operand = (o: PlannedOperand): string => (o.kind === 'aggregate' ? aggregateValue(o.aggregate) : (raw.get(o.feature) as string));
  // Ratios read other features' raw expressions, never other ratios.
  for (const f of view.plan.features) if (f.computation.kind !== 'ratio') raw.set(f.name, known(f.name) ? rawOf(f.computation, f.valueType) : 'NULL');
  for (const f of view.plan.features) if (f.computation.kind === 'ratio') raw.set(f.name, known(f.name) ? rawOf(f.computation, f.valueType) : 'NULL');
  return raw;
}

/** Several views of one entity as one query: the SQL, and per view the result column of each of its plan's features. */
export interface CompiledViewsQuery {
  readonly sql: string;
  /** `columns[v][k]`: the column of view `v`'s `plan.features[k]` (short names: PostgreSQL cuts names at 63 bytes). */
  readonly columns: ReadonlyArray<readonly string[]>;
}

/**
 * Compiles several views of one entity into one query returning, per existing entity requested, the
 * columns of `compileViewQuery` for every view (`__entity_id`, `__currency`, then each view's features
 * under `CompiledViewsQuery.columns`). The views' aggregates over the same source table are computed in
 * one CTE, so each source table is scanned once per query instead of once per view reading it, and the
 * entity table once in all; one statement also reads every view from one snapshot. Per view, the values
 * equal `compileViewQuery`'s (the int-spec compares both with the evaluator).
 *
 * A merged CTE keeps a window in its WHERE only when every one of its aggregates is windowed on the same
 * column (the widest applies); otherwise each windowed aggregate carries its own condition.
 */
export function compileViewsQuery(views: readonly FeatureView[], mode: ViewQueryMode, options: ViewQueryOptions = {}): CompiledViewsQuery {
  if (views.length === 0) throw new RangeError('compileViewsQuery: no views');
  const entity = views[0].entity;
  const other = views.find((v) => v.entity.name !== entity.name);
  if (other) throw new RangeError(`compileViewsQuery: views of one entity only (${other.name} is of ${other.entity.name})`);
  const pointInTime = options.pointInTime ?? false;

  // Per source table (and key column), every view's aggregates, renamed `v<view>_<aggregate>`.
  const groups = new Map<string, { index: number; first: SourcePlan; aggregates: AggregatePlan[] }>();
  const columnOf = new Map<string, string>();
  views.forEach((view, v) => {
    for (const sp of pointInTime ? backfillSources(view) : view.plan.sources) {
      const key = `${sp.source.name}.${sp.keyColumn}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { index: groups.size, first: sp, aggregates: [] }));
      for (const a of sp.aggregates) {
        const renamed: AggregatePlan = { ...a, id: `v${v}_${a.id}` };
        group.aggregates.push(renamed);
        columnOf.set(`${v}/${a.id}`, `s${group.index}.${quoteIdent(renamed.id)}`);
      }
    }
  });
  const sources = [...groups.values()].map(({ first, aggregates }) => withAggregates(first, aggregates));

  const result: ResultColumn[] = [];
  const columns = views.map((view, v) => {
    const raw = featureExpressions(view, 'e', pointInTime, (a) => columnOf.get(`${v}/${a.id}`) as string);
    return view.plan.features.map((f, k) => {
      const name = `v${v}_${k}`;
      result.push({ sql: raw.get(f.name) as string, valueType: f.valueType, name });
      return name;
    });
  });
  return { sql: renderQuery(`feature views ${views.map((v) => v.name).join(', ')}`, entity, sources, result, mode, pointInTime), columns };
}
