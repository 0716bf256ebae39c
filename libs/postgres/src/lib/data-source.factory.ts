import { DataSource } from 'typeorm';
import { type PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { CustomerEntity, InstallmentEntity, MerchantEntity, OrderEntity, PaymentEntity } from '../entities/source.entities';
import { migrations } from '../migrations';
import { type DbOptions } from './db-options';
import { describePgTlsFailure, pgConnection, resolvePgTls, type PgTlsOptions } from './pg-tls';

/**
 * The one DataSource factory for every database the system runs on. Schema changes only ever come from
 * `migrations` (never `synchronize`), so production, tests and the local stack share one history.
 * The returned DataSource is not initialised.
 */
export function createDataSource(options: DbOptions): DataSource {
  const connection = pgConnection(options.url, options.tls ?? tlsOfUrl(options.url));
  // The options both drivers share (their option types differ elsewhere, e.g. password callbacks).
  const common: Pick<
    PostgresDataSourceOptions,
    'url' | 'ssl' | 'entities' | 'migrations' | 'migrationsTableName' | 'synchronize' | 'migrationsRun' | 'logging' | 'applicationName' | 'connectTimeoutMS' | 'poolSize' | 'extra'
  > = {
    url: connection.url,
    // TypeORM types `ssl` as TlsOptions and hands it to node-postgres, which passes it to tls.connect
    // whole: checkServerIdentity (verify-ca, verify-full) is a tls.connect option.
    ssl: connection.ssl as PostgresDataSourceOptions['ssl'],
    entities: [CustomerEntity, MerchantEntity, OrderEntity, InstallmentEntity, PaymentEntity],
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName,
    connectTimeoutMS: options.connectTimeoutMs ?? 2_000,
    poolSize: options.poolSize ?? 10,
    extra: {
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      // pg's default keeps idle clients forever; recycle them so a failover does not leave dead sockets.
      idleTimeoutMillis: 30_000,
    },
  };
  return options.type === 'cockroachdb'
    ? // Feature reads must see the latest committed data, not a follower read from the past.
      new TlsDescribingDataSource({ type: 'cockroachdb', timeTravelQueries: false, ...common })
    : new TlsDescribingDataSource({ type: 'postgres', ...common });
}

/** A DataSource whose failure to connect says so plainly when TLS is the cause (see describePgTlsFailure). */
class TlsDescribingDataSource extends DataSource {
  override async initialize(): Promise<this> {
    try {
      return await super.initialize();
    } catch (error) {
      throw describePgTlsFailure(error);
    }
  }
}

/** TLS from the URL alone (`sslmode`, `sslrootcert`), for callers that did not resolve it (toDbOptions does). */
function tlsOfUrl(url: string): PgTlsOptions {
  const resolved = resolvePgTls(url);
  if (!resolved.tls) throw new Error(`database TLS settings: ${resolved.problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
  return resolved.tls;
}

/**
 * Applies every pending migration, each in its own transaction, and returns the names applied.
 * Idempotent: TypeORM records applied migrations in `schema_migrations`, and each migration's DDL is
 * itself guarded (`IF NOT EXISTS`), so a second run applies nothing and a half-applied one can be retried.
 */
export async function migrateDatabase(options: DbOptions): Promise<string[]> {
  const dataSource = createDataSource({ ...options, poolSize: 1, statementTimeoutMs: 0 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
