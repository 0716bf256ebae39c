import type { FeatureView } from '@bnpl/feature-definitions';
import { CREATED_AT, ENTITY_ID, EVENT_TIMESTAMP, featureColumns } from '@bnpl/offline-store';

/**
 * The latest row of each of some entities of a view: one scan pruned by the table's clustering on
 * `entity_id` (no partition filter: the latest row may be of any day). Ids are checked canonical integers,
 * inlined as an INT64 list (a query takes up to 10,000 of them).
 */
export function latestRowsQuery(view: FeatureView, table: string, ids: readonly string[]): string {
  const columns = view.features.flatMap((f) => featureColumns(f)).map((c) => `\`${c.name}\``);
  return (
    `SELECT CAST(${ENTITY_ID} AS STRING) AS ${ENTITY_ID}, ${EVENT_TIMESTAMP}, ${columns.join(', ')} FROM ${table} ` +
    `WHERE ${ENTITY_ID} IN UNNEST([${ids.join(', ')}]) ` +
    `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${ENTITY_ID} ORDER BY ${EVENT_TIMESTAMP} DESC, ${CREATED_AT} DESC) = 1`
  );
}
