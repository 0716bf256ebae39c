import type { Catalog } from '@bnpl/feature-definitions';

/** A field of a BigQuery JSON schema, as `google_bigquery_table.schema` takes it. */
export interface BigQueryField {
  readonly name: string;
  readonly type: 'INT64' | 'FLOAT64' | 'STRING' | 'BOOL' | 'TIMESTAMP';
  readonly mode: 'REQUIRED' | 'NULLABLE';
  readonly description: string;
}

const TYPES = { INT64: 'INT64', DOUBLE: 'FLOAT64', STRING: 'STRING', BOOL: 'BOOL' } as const;

/**
 * The feature-history table of every stored view of the catalog, in the layout the offline store's
 * BigQuery adapter writes (libs/offline-store README, "BigQuery"): `entity_id`, `event_timestamp`,
 * `created_at`, then one column per feature, a MONEY feature as `<name>__amount_minor` and
 * `<name>__currency`. Terraform creates these tables from deploy/terraform/schemas/feature-history.json,
 * which `npx nx write-schemas deploy-checks` writes from this.
 */
export function featureHistorySchemas(catalog: Catalog): Record<string, BigQueryField[]> {
  const tables: Record<string, BigQueryField[]> = {};
  for (const view of catalog.views) {
    tables[view.name] = [
      { name: 'entity_id', type: 'INT64', mode: 'REQUIRED', description: `The ${view.entity.name} id.` },
      { name: 'event_timestamp', type: 'TIMESTAMP', mode: 'REQUIRED', description: 'The instant the values are as of (the partitioning column).' },
      { name: 'created_at', type: 'TIMESTAMP', mode: 'NULLABLE', description: 'When the row was computed; of two rows for one entity and instant, the later wins.' },
      ...view.features.flatMap((f): BigQueryField[] =>
        f.valueType === 'MONEY'
          ? [
              { name: `${f.name}__amount_minor`, type: 'INT64', mode: 'NULLABLE', description: `${f.description} (amount in minor units)` },
              { name: `${f.name}__currency`, type: 'STRING', mode: 'NULLABLE', description: `${f.description} (ISO 4217 currency)` },
            ]
          : [{ name: f.name, type: TYPES[f.valueType], mode: 'NULLABLE', description: f.description }],
      ),
    ];
  }
  return tables;
}

/** The JSON file's text: stable key order, two-space indent, trailing newline. */
export function renderSchemas(tables: Record<string, BigQueryField[]>): string {
  return `${JSON.stringify(tables, null, 2)}\n`;
}
