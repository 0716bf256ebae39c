import { DecisionStoreUnavailableError, type DecisionStore } from '@bnpl/decision-records';
import type { OfflineStore } from '@bnpl/offline-store';
import { BigQueryDecisionStore } from '@bnpl/offline-store-bigquery';
import { DuckDBDecisionStore, DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import type { OfflineStoreOptions } from '@bnpl/offline-store-nest';

/**
 * The decision store beside an offline store: the same DuckDB file (schema `decisions`; a file has one
 * owning instance per process, so the offline store's is shared), or the same BigQuery dataset (tables
 * `decision_*`). Records are kept where the feature history is, so a replay reads both from one place.
 */
export async function decisionStoreBeside(offline: OfflineStore, options: OfflineStoreOptions): Promise<DecisionStore> {
  if (offline instanceof DuckDBOfflineStore) return DuckDBDecisionStore.over(offline);
  if (options.type === 'bigquery') return BigQueryDecisionStore.connect({ projectId: options.projectId, dataset: options.dataset, location: options.location });
  throw new DecisionStoreUnavailableError(`no decision store goes with a ${offline.kind} offline store`);
}
