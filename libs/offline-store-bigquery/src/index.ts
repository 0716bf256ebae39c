// Public API of @bnpl/offline-store-bigquery: the OfflineStore port over BigQuery (production).
export { BigQueryOfflineStore, type BigQueryOfflineStoreOptions } from './lib/bigquery-offline-store';
