import { DuckDBInstance } from '@duckdb/node-api';
import type { FeatureSelection } from '@bnpl/offline-store';
import { EVENT_TIMESTAMP } from '@bnpl/offline-store';
import type { HistoricalFeaturesRequest } from '@bnpl/offline-store';
import { stageEntityTable, type StagedEntities } from '@bnpl/offline-store-duckdb';
import { duck, str, utcConnection } from '@bnpl/offline-store-duckdb';
import { BIGQUERY_TYPES, labelType } from './bigquery-schema';

/** Checks and normalises the entity input with an in-process DuckDB (the same checks as the DuckDB store), written as Parquet for upload. */
export async function stageEntitiesLocally(request: HistoricalFeaturesRequest, selection: FeatureSelection, file: string): Promise<StagedEntities> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await utcConnection(() => instance.connect());
    try {
      const staged = await stageEntityTable(connection, request, selection);
      await duck('writing the entity table for upload', () => connection.run(`COPY (SELECT * FROM ${staged.table}) TO ${str(file)} (FORMAT parquet)`));
      return staged;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** The uploaded entity table: row position, join keys, timestamp, labels. */
export function entityTableSchema(selection: FeatureSelection, entities: StagedEntities): Array<{ name: string; type: string }> {
  return [
    { name: '__row', type: 'INT64' },
    ...selection.joinKeys.map((k) => ({ name: k, type: BIGQUERY_TYPES.INT64 })),
    { name: EVENT_TIMESTAMP, type: BIGQUERY_TYPES.TIMESTAMP },
    ...entities.labels.map((l) => ({ name: l, type: labelType(l, entities.labelTypes.get(l) as string) })),
  ];
}
