export { type DbOptions } from './lib/db-options';
export { createDataSource, migrateDatabase } from './lib/data-source.factory';
export { migrations } from './migrations';
export { SourceDatabase } from './lib/source-database';
export { SourceRepository } from './lib/source.repository';
export { type CustomerRecord, type MerchantRecord, type Money, type SourceTableCounts } from './lib/source-records';
export { DbModule, DB_READINESS, SOURCE_DATABASE, SOURCE_REPOSITORY, type DbModuleAsyncOptions } from './lib/db.module';
export { DatabaseUnavailableError } from './errors/database-unavailable.error';
export { dbEnvSchema, toDbOptions } from './lib/db-env';
export {
  compileViewQuery,
  CURRENCY_COLUMN,
  ENTITY_ID_COLUMN,
  decodeFeatureRow,
  PostgresSourceFeatureReader,
  PostgresSourceTilesReader,
  pgQuery,
  renderPredicate,
  type SqlQueryFn,
  type ViewQueryMode,
} from './feature-sql';
export { PostgresJobRepository } from './jobs/postgres-job.repository';
export { PostgresSourceStats } from './jobs/postgres-source-stats';
export { PgLogicalChangeFeed, type PgChangeFeedOptions } from './replication/pg-logical-change-feed';
export { LogicalReplicationUnavailableError } from './replication/logical-replication-unavailable.error';
export { PostgresWindowEdgeSource } from './replication/postgres-window-edge-source';
export { PostgresChangeLog } from './replication/postgres-change-log';
export { PostgresApiKeyStore } from './access/postgres-api-key-store';
export { advisoryLockKey, withTryAdvisoryXactLock, type AdvisoryLockOutcome, type SqlInTransaction } from './locks/advisory-lock';
export { JOB_SCHEDULER_LOCK_KEY, PostgresScheduleRepository } from './scheduling/postgres-schedule.repository';
export { describePgTlsFailure, pgConnection, resolvePgTls, SSL_MODES, type PgTlsOptions, type PgTlsProblem, type SslMode } from './lib/pg-tls';
export { SERVICE_DATABASE_ROLES, databaseUrlAs, enableServiceRoleLogin, type ServiceWithDatabaseRole } from './access/service-roles';
