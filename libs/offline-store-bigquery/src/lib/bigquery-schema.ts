import type { TableMetadata } from '@google-cloud/bigquery';
import type { FeatureView } from '@bnpl/feature-definitions';
import { InvalidEntityTableError } from '@bnpl/offline-store';
import { ENTITY_ID, EVENT_TIMESTAMP, viewTableColumns, type ColumnType } from '@bnpl/offline-store';

export const BIGQUERY_TYPES: Readonly<Record<ColumnType, string>> = {
  INT64: 'INT64',
  DOUBLE: 'FLOAT64',
  STRING: 'STRING',
  BOOL: 'BOOL',
  TIMESTAMP: 'TIMESTAMP',
};

/**
 * A view's history table: partitioned by day of `event_timestamp` (a training set reads only the days up
 * to its last entity timestamp; a materialization run rewrites one day) and clustered by `entity_id` (the
 * point-in-time join and the merge look rows up by entity).
 */
export function featureTableMetadata(view: FeatureView): TableMetadata {
  return {
    schema: { fields: viewTableColumns(view).map((c) => ({ name: c.name, type: BIGQUERY_TYPES[c.type], mode: c.name === ENTITY_ID || c.name === EVENT_TIMESTAMP ? 'REQUIRED' : 'NULLABLE' })) },
    timePartitioning: { type: 'DAY', field: EVENT_TIMESTAMP },
    clustering: { fields: [ENTITY_ID] },
  };
}

/** BigQuery types of the DuckDB types an entity table's labels may have (as loaded from DuckDB's Parquet). */
const LABEL_TYPES: Readonly<Record<string, string>> = {
  TINYINT: 'INT64',
  SMALLINT: 'INT64',
  INTEGER: 'INT64',
  BIGINT: 'INT64',
  UTINYINT: 'INT64',
  USMALLINT: 'INT64',
  UINTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  DOUBLE: 'FLOAT64',
  VARCHAR: 'STRING',
  BOOLEAN: 'BOOL',
  DATE: 'DATE',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
};

/** The BigQuery type of a label column; throws InvalidEntityTableError for one that does not carry over. */
export function labelType(column: string, duckdbType: string): string {
  const type = LABEL_TYPES[duckdbType];
  if (!type) throw new InvalidEntityTableError(`Entity table column ${column} has type ${duckdbType}, which the BigQuery store cannot pass through`, { column });
  return type;
}
