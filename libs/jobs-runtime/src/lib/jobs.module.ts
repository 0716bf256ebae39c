import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
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
import { POINT_IN_TIME_SOURCE_READER, SOURCE_FEATURE_READER, type Catalog, type PointInTimeSourceReader, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ONLINE_STORE, type OnlineStore } from '@bnpl/online-store';
import { FEATURE_CATALOG, METER } from '@bnpl/platform';
import { meteredJobQueue } from './job-metrics';
import { LocalJobFiles, type JobFileRoots } from './local-job-files';

/** The JobService (from @bnpl/batch) of this process, provided by JobsModule. */
export const JOB_SERVICE = Symbol('JOB_SERVICE');

export interface JobsModuleOptions {
  /**
   * Modules providing JOB_REPOSITORY, SOURCE_STATS, SOURCE_FEATURE_READER and POINT_IN_TIME_SOURCE_READER
   * (the DbModule), JOB_QUEUE (the MessagingModule), and, where shards run, ONLINE_STORE and
   * FEATURE_HISTORY_SINK.
   */
  readonly imports: NonNullable<DynamicModule['imports']>;
  readonly service?: Omit<JobServiceOptions, 'logger'>;
  /**
   * Where training-set files may be (JOB_FILES_ROOT, JOB_FILES_GCS_BUCKETS): checked at submission and
   * again before a run reads or writes. Every app that submits or runs jobs gives it.
   */
  readonly files?: JobFileRoots;
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
            meter?: Meter,
            pastSource?: PointInTimeSourceReader,
          ) =>
            new JobService(
              {
                catalog,
                repository,
                queue: meter ? meteredJobQueue(queue, meter) : queue,
                stats,
                source,
                ...(online ? { online } : {}),
                ...(history ? { history } : {}),
                ...(trainingSets ? { trainingSets } : {}),
                ...(pastSource ? { pastSource } : {}),
                ...(options.files ? { files: new LocalJobFiles(options.files) } : {}),
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
            // The app's metrics (MetricsModule), when it has them: jobs finished and their durations.
            { token: METER, optional: true },
            // Backfills read the past through it (the DbModule provides it).
            { token: POINT_IN_TIME_SOURCE_READER, optional: true },
          ],
        },
      ],
      exports: [JOB_SERVICE],
    };
  }
}
