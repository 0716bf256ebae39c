import type { Money } from '@bnpl/feature-definitions';
import { ENTITY_ID, EVENT_TIMESTAMP, featureColumns, type OutputFeature, type OutputLayout } from '@bnpl/offline-store';
import { featureTable, VALID_UNTIL } from './duckdb-feature-tables';
import { ident, literal, str } from './duckdb-sql';

/**
 * The statuses as a DuckDB ENUM. Parquet and CSV outputs hold them as plain text (a Parquet UTF8 column,
 * as before); computed as an ENUM they are one byte per row rather than a string each, which made the
 * benchmark's 22 status columns cost a third of the whole retrieval (README).
 */
const STATUS = `ENUM('PRESENT', 'DEFAULT', 'STALE', 'MISSING')`;
const status = (s: 'PRESENT' | 'DEFAULT' | 'STALE' | 'MISSING') => `CAST('${s}' AS ${STATUS})`;

/** The entity table's earliest and latest `event_timestamp`. */
export interface EntitySpan {
  readonly minEventTime: Date;
  readonly maxEventTime: Date;
}

/**
 * The point-in-time join of the entity table with each view's history, as one DuckDB query.
 *
 * Per view, `LEFT JOIN ... ON entity_id = <join key> AND f.event_timestamp <= e.event_timestamp AND
 * e.event_timestamp < f.valid_until` picks, for each entity row, the view's latest row at or before the row's
 * timestamp (a row at exactly that instant included): each history row holds its successor's event time
 * (`valid_until`, kept by every write), so at most one row of an entity matches, and the join is a hash join
 * on the entity with a range check. An `ASOF JOIN` gives the same rows but sorts both sides per view, 2.5-3.6x
 * the time of the whole query on the benchmark (README). Before the join, each view is pruned to the rows
 * whose validity overlaps the entity table's span: none after its last timestamp, none superseded before
 * its first (a training set of the last month against years of history builds its hash tables from the
 * rows of that month; README), and each view is read for the columns the request selects only.
 *
 * The inner query judges each view once per row (`__s<i>`: MISSING with no row, STALE beyond the TTL, NULL
 * when fresh); the outer one turns that into each feature's value or default and status. Within the TTL means
 * `e.ts - f.ts <= ttl` (exactly the TTL is still fresh, one microsecond more is STALE), the same rule the
 * online read path applies at "now".
 *
 * With `ordered` (memory outputs), rows follow the entity table's order (`__row`). Files and tables are
 * written unordered: sorting a million wide output rows costs more than all the joins (measured: README),
 * and each row is identified by its ids and timestamp anyway.
 */
export function pointInTimeQuery(layout: OutputLayout, entities: string, span: EntitySpan, ordered: boolean): string {
  const keys = [...layout.joinKeys.map((k) => ident(k)), EVENT_TIMESTAMP, ...layout.labels.map((l) => ident(l))];
  const inner = [`e.*`];
  const outer = [...keys];
  const joins: string[] = [];
  const from = `TIMESTAMPTZ ${str(span.minEventTime.toISOString())}`;
  const until = `TIMESTAMPTZ ${str(span.maxEventTime.toISOString())}`;
  layout.views.forEach((v, i) => {
    const alias = `v${i}`;
    const ts = `${alias}.${EVENT_TIMESTAMP}`;
    const stored = storedColumns(v);
    inner.push(
      `${ts} AS __t${i}`,
      `CASE WHEN ${ts} IS NULL THEN ${status('MISSING')} WHEN epoch_us(e.${EVENT_TIMESTAMP}) - epoch_us(${ts}) > ${v.view.ttlSeconds * 1_000_000} THEN ${status('STALE')} END AS __s${i}`,
      ...stored.map((c, j) => `${alias}.${ident(c)} AS __v${i}_${j}`),
    );
    outer.push(`__t${i} AS ${ident(v.eventTimeColumn)}`);
    for (const f of v.features) outer.push(...featureExpressions(f, i, stored));
    joins.push(
      `LEFT JOIN (SELECT ${[ENTITY_ID, EVENT_TIMESTAMP, VALID_UNTIL, ...stored.map(ident)].join(', ')} FROM ${featureTable(v.view.name)} WHERE ${EVENT_TIMESTAMP} <= ${until} AND ${VALID_UNTIL} > ${from}) AS ${alias} ` +
        `ON ${alias}.${ENTITY_ID} = e.${ident(v.joinKey)} AND e.${EVENT_TIMESTAMP} >= ${ts} AND e.${EVENT_TIMESTAMP} < ${alias}.${VALID_UNTIL}`,
    );
  });
  return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${entities} AS e ${joins.join(' ')})${ordered ? ' ORDER BY __row' : ''}`;
}

/** The history columns a view's selected features read, each once. */
function storedColumns(v: OutputLayout['views'][number]): string[] {
  return [...new Set(v.features.flatMap((f) => featureColumns(f.selected.feature).map((c) => c.name)))];
}

/** A feature's value column(s) (the stored value when fresh and present, else the default) and its status. */
function featureExpressions(f: OutputFeature, view: number, stored: readonly string[]): string[] {
  const { feature } = f.selected;
  const own = featureColumns(feature).map((c) => `__v${view}_${stored.indexOf(c.name)}`);
  const defaults =
    feature.valueType === 'MONEY'
      ? [literal('INT64', (feature.default as Money).amountMinor), literal('STRING', (feature.default as Money).currency)]
      : [literal(f.valueColumns[0].type, feature.default)];
  // MONEY is stored as both parts or neither: the amount stands for the value being there.
  const present = `${own[0]} IS NOT NULL`;
  const values = f.valueColumns.map((c, i) => `CASE WHEN __s${view} IS NULL AND ${present} THEN ${own[i]} ELSE ${defaults[i]} END AS ${ident(c.name)}`);
  return [...values, `COALESCE(__s${view}, CASE WHEN ${present} THEN ${status('PRESENT')} ELSE ${status('DEFAULT')} END) AS ${ident(f.statusColumn)}`];
}
