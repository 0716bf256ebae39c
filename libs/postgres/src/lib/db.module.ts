import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { JOB_REPOSITORY, SOURCE_STATS } from '@bnpl/batch';
import { POINT_IN_TIME_SOURCE_READER, SOURCE_FEATURE_READER, SOURCE_TILES_READER, type Catalog } from '@bnpl/feature-definitions';
import { FEATURE_CATALOG, type ReadinessCheck } from '@bnpl/platform';
import { PostgresSourceFeatureReader, PostgresSourceTilesReader } from '../feature-sql';
import { PostgresJobRepository } from '../jobs/postgres-job.repository';
import { PostgresSourceStats } from '../jobs/postgres-source-stats';
import { type DbOptions } from './db-options';
import { SourceDatabase } from './source-database';
import { SourceRepository } from './source.repository';

/** Injection tokens of this lib. */
export const SOURCE_DATABASE = Symbol('SOURCE_DATABASE');
export const SOURCE_REPOSITORY = Symbol('SOURCE_REPOSITORY');
/** A ReadinessCheck named `postgres`. */
export const DB_READINESS = Symbol('DB_READINESS');

export interface DbModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => DbOptions | Promise<DbOptions>;
}

class DbLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(SOURCE_DATABASE) private readonly db: SourceDatabase) {}
  async onModuleInit(): Promise<void> {
    await this.db.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * The source database for a NestJS app: connection (started with the app, closed on shutdown), the
 * source repository, the SourceFeatureReader, PointInTimeSourceReader and SourceTilesReader
 * (SOURCE_FEATURE_READER, POINT_IN_TIME_SOURCE_READER and SOURCE_TILES_READER from @bnpl/feature-definitions), the
 * jobs tables and source statistics (JOB_REPOSITORY, SOURCE_STATS from @bnpl/batch), readiness.
 */
@Module({})
export class DbModule {
  static forRootAsync(options: DbModuleAsyncOptions): DynamicModule {
    return {
      module: DbModule,
      global: false,
      imports: options.imports ?? [],
      providers: [
        { provide: SOURCE_DATABASE, useFactory: async (...args: never[]) => new SourceDatabase(await options.useFactory(...args)), inject: options.inject ?? [] },
        { provide: SOURCE_REPOSITORY, useFactory: (db: SourceDatabase) => new SourceRepository(db), inject: [SOURCE_DATABASE] },
        {
          provide: SOURCE_FEATURE_READER,
          useFactory: (db: SourceDatabase, catalog: Catalog) => new PostgresSourceFeatureReader(catalog, (sql, params) => db.query(sql, params)),
          inject: [SOURCE_DATABASE, FEATURE_CATALOG],
        },
        // The same reader answers backfills (values as of a past instant).
        { provide: POINT_IN_TIME_SOURCE_READER, useExisting: SOURCE_FEATURE_READER },
        {
          provide: SOURCE_TILES_READER,
          useFactory: (db: SourceDatabase, catalog: Catalog) => new PostgresSourceTilesReader(catalog, (sql, params) => db.query(sql, params)),
          inject: [SOURCE_DATABASE, FEATURE_CATALOG],
        },
        { provide: JOB_REPOSITORY, useFactory: (db: SourceDatabase) => new PostgresJobRepository(db), inject: [SOURCE_DATABASE] },
        {
          provide: SOURCE_STATS,
          useFactory: (db: SourceDatabase, catalog: Catalog) => new PostgresSourceStats(catalog, (sql, params) => db.query(sql, params)),
          inject: [SOURCE_DATABASE, FEATURE_CATALOG],
        },
        {
          provide: DB_READINESS,
          useFactory: (db: SourceDatabase): ReadinessCheck => ({ name: 'postgres', check: () => db.ping() }),
          inject: [SOURCE_DATABASE],
        },
        DbLifecycle,
      ],
      exports: [SOURCE_DATABASE, SOURCE_REPOSITORY, SOURCE_FEATURE_READER, POINT_IN_TIME_SOURCE_READER, SOURCE_TILES_READER, JOB_REPOSITORY, SOURCE_STATS, DB_READINESS],
    };
  }
}
