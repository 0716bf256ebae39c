import { Inject, Logger, Module, type DynamicModule, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobService } from '@bnpl/batch';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { PostgresScheduleRepository, SOURCE_DATABASE, type SourceDatabase } from '@bnpl/postgres';
import type { Catalog } from '@bnpl/feature-definitions';
import { ScheduleRunner, type ScheduleDefinition } from '@bnpl/scheduling';
import { readScheduleFile } from './schedule-file';

const SCHEDULE_RUNNER = Symbol('SCHEDULE_RUNNER');

export interface JobSchedulerOptions {
  /** Modules providing SOURCE_DATABASE (the DbModule) and JOB_SERVICE (the JobsModule). */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  readonly schedules: readonly ScheduleDefinition[];
  readonly pollMs: number;
}

class SchedulerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SCHEDULE_RUNNER) private readonly runner: ScheduleRunner) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/**
 * The scheduled jobs of a batch-processor (JOB_SCHEDULES_FILE): a ScheduleRunner over the jobs database,
 * submitting through this process's JobService, started with the app and stopped before it closes. Every
 * instance runs one; the advisory lock makes one of them fire each run.
 */
@Module({})
export class JobSchedulerModule {
  /** The module for a schedules file, or none when there is no file (this instance then fires nothing). */
  static fromFile(path: string | undefined, options: Omit<JobSchedulerOptions, 'schedules'> & { catalog: Catalog }): DynamicModule[] {
    return path === undefined ? [] : [JobSchedulerModule.register({ ...options, schedules: readScheduleFile(path, options.catalog) })];
  }

  static register(options: JobSchedulerOptions): DynamicModule {
    return {
      module: JobSchedulerModule,
      imports: options.imports,
      providers: [
        {
          provide: SCHEDULE_RUNNER,
          useFactory: (db: SourceDatabase, jobs: JobService) => {
            const logger = new Logger('Scheduler');
            logger.log(`${options.schedules.length} schedule(s): ${options.schedules.map((s) => `${s.name} "${s.cron}" ${s.timeZone}${s.paused ? ' (paused)' : ''}`).join(', ')}`);
            return new ScheduleRunner({ schedules: options.schedules, repository: new PostgresScheduleRepository(db), jobs, logger }, { pollMs: options.pollMs });
          },
          inject: [SOURCE_DATABASE, JOB_SERVICE],
        },
        SchedulerLifecycle,
      ],
    };
  }
}
