import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { TableMetadata } from '@google-cloud/bigquery';
import type { FeatureView, Money } from '@bnpl/feature-definitions';
import { CREATED_AT, ENTITY_ID, EVENT_TIMESTAMP, featureColumns } from '@bnpl/offline-store';
import { batchesOf, checkOfflineRow, MAX_TIME_MS, MIN_TIME_MS } from '@bnpl/offline-store';
import type { OfflineRow } from '@bnpl/offline-store';
import type { ParameterisedQuery } from './bigquery-pit-query';
import { featureTableMetadata } from './bigquery-schema';

/** An NDJSON file of checked rows, ready for a load job. */
export interface StagedRows {
  readonly path: string;
  readonly count: number;
  readonly minEventTime: Date;
  readonly maxEventTime: Date;
}

/** Streams the checked rows to an NDJSON file; BigQuery parses INT64 ids from strings, timestamps from ISO. */
export async function writeNdjson(view: FeatureView, rows: readonly OfflineRow[] | AsyncIterable<readonly OfflineRow[]>, path: string, createdAtMs: number): Promise<StagedRows> {
  const out = createWriteStream(path);
  const columns = view.features.map((f) => featureColumns(f).map((c) => c.name));
  let count = 0;
  let minMs = MAX_TIME_MS;
  let maxMs = MIN_TIME_MS;
  try {
    for await (const batch of batchesOf(rows)) {
      const lines = batch.map((row, i) => {
        const checked = checkOfflineRow(view, row, count + i, createdAtMs);
        minMs = Math.min(minMs, checked.eventTimeMs);
        maxMs = Math.max(maxMs, checked.eventTimeMs);
        const record: Record<string, unknown> = {
          seq: count + i,
          [ENTITY_ID]: checked.entityId,
          [EVENT_TIMESTAMP]: new Date(checked.eventTimeMs).toISOString(),
          [CREATED_AT]: new Date(checked.createdAtMs).toISOString(),
        };
        checked.values.forEach((value, f) => {
          const [first, second] = columns[f];
          if (second === undefined) record[first] = value;
          else [record[first], record[second]] = value === null ? [null, null] : [(value as Money).amountMinor, (value as Money).currency];
        });
        return JSON.stringify(record);
      });
      count += batch.length;
      if (lines.length > 0 && !out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return { path, count, minEventTime: new Date(minMs), maxEventTime: new Date(maxMs) };
}

/** The staging table of a write: the view's columns and the row's position in the call (ties go to the later row). */
export function stagingMetadata(view: FeatureView): TableMetadata {
  const fields = featureTableMetadata(view).schema?.fields ?? [];
  return { schema: { fields: [{ name: 'seq', type: 'INT64' }, ...fields] } };
}

/**
 * Keeps the latest `created_at` per (entity_id, event_timestamp): the staged rows are ranked among
 * themselves (a window over the staged rows only), then merged; the time range in ON lets BigQuery prune
 * the target's partitions. (`WHERE TRUE`: BigQuery accepts QUALIFY only beside a WHERE, GROUP BY or HAVING.)
 */
export function mergeQuery(view: FeatureView, target: string, staging: string, staged: StagedRows): ParameterisedQuery {
  const columns = [CREATED_AT, ...view.features.flatMap((f) => featureColumns(f).map((c) => c.name))].map((c) => `\`${c}\``);
  const all = [ENTITY_ID, EVENT_TIMESTAMP, ...columns];
  const sql =
    `MERGE ${target} AS t USING (SELECT * EXCEPT (seq) FROM ${staging} WHERE TRUE ` +
    `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${ENTITY_ID}, ${EVENT_TIMESTAMP} ORDER BY ${CREATED_AT} DESC, seq DESC) = 1) AS s ` +
    `ON t.${ENTITY_ID} = s.${ENTITY_ID} AND t.${EVENT_TIMESTAMP} = s.${EVENT_TIMESTAMP} AND t.${EVENT_TIMESTAMP} BETWEEN @min_event_timestamp AND @max_event_timestamp ` +
    `WHEN MATCHED AND s.${CREATED_AT} >= t.${CREATED_AT} THEN UPDATE SET ${columns.map((c) => `${c} = s.${c}`).join(', ')} ` +
    `WHEN NOT MATCHED THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `s.${c}`).join(', ')})`;
  return {
    sql,
    params: { min_event_timestamp: staged.minEventTime, max_event_timestamp: staged.maxEventTime },
    types: { min_event_timestamp: 'TIMESTAMP', max_event_timestamp: 'TIMESTAMP' },
  };
}
