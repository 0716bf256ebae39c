// Public API of @bnpl/offline-store: the OfflineStore port, its errors, and what its adapters share. No driver:
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
  type LatestOfflineRow,
  type OfflineFeatureStatus,
  type OfflineRow,
  type OfflineStore,
  type OfflineWriteResult,
} from './lib/offline-store.port';
export { InvalidEntityTableError } from './lib/errors/invalid-entity-table.error';
export { InvalidHistoricalRequestError } from './lib/errors/invalid-historical-request.error';
export { InvalidOfflineRowError } from './lib/errors/invalid-offline-row.error';
export { OfflineStoreUnavailableError } from './lib/errors/offline-store-unavailable.error';

// feature selection, row checks and output checks, so every backend reads and writes the same shape.
export { selectFeatures, type FeatureSelection } from './lib/feature-selection';
export {
  CREATED_AT,
  ENTITY_ID,
  EVENT_TIMESTAMP,
  featureColumns,
  outputLayout,
  reservedColumnNames,
  viewTableColumns,
  type ColumnType,
  type FeatureColumnType,
  type LayoutColumn,
  type OutputFeature,
  type OutputLayout,
} from './lib/offline-layout';
export { MAX_TIME_MS, MIN_TIME_MS, batchesOf, checkOfflineRow } from './lib/offline-rows';
export { checkMemoryOutputSize, checkOutput } from './lib/historical-output';
export { toHistoricalRow, type DecodedRow } from './lib/historical-rows';
export { MAX_LATEST_ROWS_IDS, checkLatestRowIds, storedValues } from './lib/latest-rows';
// A small catalog for the adapters' tests.
export { testCatalog, testCatalogWithNewFeature } from './lib/offline-store.test-catalog';
