// Feature SQL: the catalog's feature views compiled to PostgreSQL / CockroachDB, and the
// SourceFeatureReader adapter that runs them. Re-exported from @bnpl/db.
export { compileViewQuery, compileViewsQuery, CURRENCY_COLUMN, ENTITY_ID_COLUMN, type CompiledViewsQuery, type ViewQueryMode } from './compile-view-query';
export { PostgresSourceTilesReader } from './postgres-source-tiles-reader';
export { decodeFeatureRow } from './decode-feature-row';
export { PostgresSourceFeatureReader, pgQuery, type SqlQueryFn } from './postgres-source-feature-reader';
export { renderPredicate } from './render-predicate';
