// Public API of @bnpl/offline-store-bigquery: the OfflineStore port over BigQuery (production).
export { BigQueryOfflineStore, type BigQueryOfflineStoreOptions } from './lib/bigquery-offline-store';
// Decision records in the same dataset (tables decision_*): the DecisionStore port of @bnpl/decision-records.
export { BigQueryDecisionStore, DECISION_MARKS_TABLE, DECISION_OUTCOMES_TABLE, DECISION_RECORDS_TABLE, decisionTableMetadata, type BigQueryDecisionStoreOptions } from './lib/bigquery-decision-store';
