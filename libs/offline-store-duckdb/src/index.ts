// Public API of @bnpl/offline-store-duckdb: the OfflineStore port over an embedded DuckDB file (the local default).
export { DuckDBOfflineStore, type DuckDBOfflineStoreOptions } from './lib/duckdb-offline-store';
// DuckDB is also the engine other adapters read entity files with (the BigQuery adapter stages them here
// before upload): the checked entity table and the connection helpers it needs.
export { stageEntityTable, type StagedEntities } from './lib/duckdb-entity-table';
export { duck, str, utcConnection } from './lib/duckdb-sql';
// Decision records in the same file (schema `decisions`): the DecisionStore port of @bnpl/decision-records.
export { DECISIONS_SCHEMA, DuckDBDecisionStore, type DuckDBConnections } from './lib/duckdb-decision-store';
