import { Logger, Module, type DynamicModule } from '@nestjs/common';
import {
  FEATURE_HISTORY_SINK,
  JOB_QUEUE,
  JOB_REPOSITORY,
  JobService,
  SOURCE_STATS,
  TRAINING_SET_BUILDER,
  type FeatureHistorySink,
  type JobQueue,
  type JobRepository,
  type JobServiceOptions,
  type SourceStats,
  type TrainingSetBuilder,
} from '@bnpl/batch';
import { SOURCE_FEATURE_READER, type Catalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { FEATURE_CATALOG } from '@bnpl/platform';

/** The JobService (from @bnpl/batch) of this process, provided by JobsModule. */
export const JOB_SERVICE = Symbol('JOB_SERVICE');

export interface JobsModuleOptions {
  /**
   * Modules providing JOB_REPOSITORY, SOURCE_STATS and SOURCE_FEATURE_READER (the DbModule), JOB_QUEUE
   * (the MessagingModule), and, where shards run, ONLINE_STORE and FEATURE_HISTORY_SINK.
   */
  readonly imports: NonNullable<DynamicModule['imports']>;
  readonly service?: Omit<JobServiceOptions, 'logger'>;
}

/**
 * Jobs for a NestJS app: the same JobService in rest-gateway (submit, read, cancel) and batch-processor
 * (run shards), over whichever adapters the app's modules provide.
 */
@Module({})
export class JobsModule {
  static register(options: JobsModuleOptions): DynamicModule {
    return {
      module: JobsModule,
      imports: options.imports,
      providers: [
        {
          provide: JOB_SERVICE,
          useFactory: (
            catalog: Catalog,
            repository: JobRepository,
            queue: JobQueue,
            stats: SourceStats,
            source: SourceFeatureReader,
            online?: OnlineStore,
            history?: FeatureHistorySink,
            trainingSets?: TrainingSetBuilder,
          ) =>
            new JobService(
              {
                catalog,
                repository,
                queue,
                stats,
                source,
                ...(online ? { online } : {}),
                ...(history ? { history } : {}),
                ...(trainingSets ? { trainingSets } : {}),
              },
              { ...options.service, logger: new Logger('Jobs') },
            ),
          inject: [
            FEATURE_CATALOG,
            JOB_REPOSITORY,
            JOB_QUEUE,
            SOURCE_STATS,
            SOURCE_FEATURE_READER,
            { token: ONLINE_STORE, optional: true },
            { token: FEATURE_HISTORY_SINK, optional: true },
            { token: TRAINING_SET_BUILDER, optional: true },
          ],
        },
      ],
      exports: [JOB_SERVICE],
    };
  }
}
