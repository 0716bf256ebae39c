// Public API of @bnpl/offline-store: the OfflineStore port, its DuckDB and BigQuery adapters and their wiring.
export {
  MAX_IN_MEMORY_ENTITY_ROWS,
  OFFLINE_STORE,
  type EntityRowInput,
  type EntityRowValue,
  type EntityTableFile,
  type HistoricalFeatureValue,
  type HistoricalFeaturesRequest,
  type HistoricalFeaturesResult,
  type HistoricalOutput,
  type HistoricalRow,
  type OfflineFeatureStatus,
  type OfflineRow,
  type OfflineStore,
  type OfflineWriteResult,
} from './lib/offline-store.port';
export { InvalidEntityTableError } from './lib/errors/invalid-entity-table.error';
export { InvalidHistoricalRequestError } from './lib/errors/invalid-historical-request.error';
export { InvalidOfflineRowError } from './lib/errors/invalid-offline-row.error';
export { OfflineStoreUnavailableError } from './lib/errors/offline-store-unavailable.error';
export { DuckDBOfflineStore, type DuckDBOfflineStoreOptions } from './adapters/duckdb/duckdb-offline-store';
export { BigQueryOfflineStore, type BigQueryOfflineStoreOptions } from './adapters/bigquery/bigquery-offline-store';
export { OfflineStoreModule, OFFLINE_STORE_READINESS, createOfflineStore, type OfflineStoreModuleAsyncOptions, type OfflineStoreOptions } from './lib/offline-store.module';
