import type { FeatureValue, Money } from '@bnpl/feature-definitions';
import { ENTITY_ID, EVENT_TIMESTAMP, featureColumns, type OutputFeature, type OutputLayout } from '@bnpl/offline-store';
import { BIGQUERY_TYPES } from './bigquery-schema';

/** A query with its named parameters and their BigQuery types. */
export interface ParameterisedQuery {
  readonly sql: string;
  readonly params: Record<string, FeatureValue | Date>;
  readonly types: Record<string, string>;
}

/** A backquoted table path; its parts are validated names. */
export type TablePath = (table: string) => string;

/**
 * The point-in-time join in BigQuery SQL.
 *
 * Per view, a CTE joins each entity row to its entity's history rows at or before the row's timestamp and
 * keeps the latest with `QUALIFY ROW_NUMBER() OVER (PARTITION BY e.__row ...)`. Why this scales where
 * Feast's BigQuery join ran out of memory ("sort operations used for analytic OVER() clauses", feast#1591):
 * Feast unions entity rows with all feature rows and sorts that union per entity key, so every feature row
 * of the table is sorted, and a hot key makes one huge partition. Here the window runs only over join
 * output, one small partition per entity row (one entity's history up to one instant); the join is a hash
 * join on `entity_id`, which the tables are clustered by; partitions after the last entity timestamp are
 * pruned by a constant filter; and nothing sorts the result (only the small in-memory output is ordered).
 *
 * TTL, defaults and statuses follow the DuckDB query: fresh means `e.ts - f.ts <= ttl`. Defaults and TTLs
 * are parameters; identifiers are catalog names or validated labels.
 */
export function bigQueryPointInTimeQuery(layout: OutputLayout, entities: string, table: TablePath, maxEventTime: Date, ordered: boolean): ParameterisedQuery {
  const params: ParameterisedQuery['params'] = { max_event_timestamp: maxEventTime };
  const types: ParameterisedQuery['types'] = { max_event_timestamp: 'TIMESTAMP' };
  const ctes: string[] = [];
  const select = [...layout.joinKeys.map((k) => `e.${q(k)}`), `e.${EVENT_TIMESTAMP}`, ...layout.labels.map((l) => `e.${q(l)}`)];
  const joins: string[] = [];
  let nextDefault = 0;
  layout.views.forEach((v, i) => {
    const alias = `v${i}`;
    const ttl = `ttl_us_${i}`;
    params[ttl] = v.view.ttlSeconds * 1_000_000;
    types[ttl] = 'INT64';
    const stored = v.features.flatMap((f) => featureColumns(f.selected.feature).map((c) => `f.${q(c.name)}`));
    ctes.push(
      `${alias} AS (SELECT e.__row, f.${EVENT_TIMESTAMP}, ${stored.join(', ')} FROM ${entities} AS e ` +
        `JOIN ${table(v.view.name)} AS f ON f.${ENTITY_ID} = e.${q(v.joinKey)} AND f.${EVENT_TIMESTAMP} <= e.${EVENT_TIMESTAMP} ` +
        `WHERE f.${EVENT_TIMESTAMP} <= @max_event_timestamp ` +
        `QUALIFY ROW_NUMBER() OVER (PARTITION BY e.__row ORDER BY f.${EVENT_TIMESTAMP} DESC, f.created_at DESC) = 1)`,
    );
    joins.push(`LEFT JOIN ${alias} ON ${alias}.__row = e.__row`);
    const ts = `${alias}.${EVENT_TIMESTAMP}`;
    const fresh = `(TIMESTAMP_DIFF(e.${EVENT_TIMESTAMP}, ${ts}, MICROSECOND) <= @${ttl})`;
    select.push(`${ts} AS ${q(v.eventTimeColumn)}`);
    for (const f of v.features) {
      const defaults = defaultParts(f).map(([type, value]) => {
        const name = `default_${nextDefault++}`;
        params[name] = value;
        types[name] = type;
        return `@${name}`;
      });
      select.push(...featureExpressions(f, alias, ts, fresh, defaults));
    }
  });
  const sql = `WITH ${ctes.join(', ')} SELECT ${select.join(', ')} FROM ${entities} AS e ${joins.join(' ')}${ordered ? ' ORDER BY e.__row' : ''}`;
  return { sql, params, types };
}

function featureExpressions(f: OutputFeature, alias: string, ts: string, fresh: string, defaults: readonly string[]): string[] {
  const stored = featureColumns(f.selected.feature).map((c) => `${alias}.${q(c.name)}`);
  // MONEY is stored as both parts or neither: the amount stands for the value being there.
  const present = `${stored[0]} IS NOT NULL`;
  const values = f.valueColumns.map((c, i) => `IF(${fresh} AND ${present}, ${stored[i]}, ${defaults[i]}) AS ${q(c.name)}`);
  const status = `CASE WHEN ${ts} IS NULL THEN 'MISSING' WHEN NOT ${fresh} THEN 'STALE' WHEN NOT (${present}) THEN 'DEFAULT' ELSE 'PRESENT' END AS ${q(f.statusColumn)}`;
  return [...values, status];
}

function defaultParts(f: OutputFeature): Array<[string, FeatureValue]> {
  const { feature } = f.selected;
  if (feature.valueType === 'MONEY') {
    const m = feature.default as Money;
    return [['INT64', m.amountMinor], ['STRING', m.currency]];
  }
  return [[BIGQUERY_TYPES[f.valueColumns[0].type], feature.default]];
}

/** A backquoted column name. */
function q(name: string): string {
  return `\`${name}\``;
}
