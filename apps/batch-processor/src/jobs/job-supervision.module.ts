import { Logger, Module, type DynamicModule, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Meter } from '@opentelemetry/api';
import { JOB_QUEUE, JOB_REPOSITORY, JobSupervisor, type JobQueue, type JobRepository, type JobService } from '@bnpl/batch';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { METER } from '@bnpl/platform';

const SUPERVISOR_RUNNER = Symbol('SUPERVISOR_RUNNER');

export interface JobSupervisionOptions {
  /** Modules providing JOB_REPOSITORY (the DbModule), JOB_QUEUE (the MessagingModule) and JOB_SERVICE. */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** A running job with no progress for this long fails. */
  readonly stallMs: number;
}

/** Runs a supervision round on a timer: a quarter of the shortest lease, between 1 and 30 s. */
class SupervisorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobSupervisor');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** What the last round found, for the metrics. */
  readonly last = { stuckJobs: 0, requeued: 0, failed: 0 };

  constructor(
    private readonly supervisor: JobSupervisor,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.round().finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    try {
      const round = await this.supervisor.round();
      this.last.stuckJobs = round.stuckJobs;
      this.last.requeued += round.requeued;
      this.last.failed += round.failed.length;
    } catch (error) {
      // PostgreSQL or the broker down: readiness says so; the next round tries again.
      this.logger.warn(`supervising jobs failed, retrying in ${this.intervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Keeps every running job moving (JobSupervisor, from @bnpl/batch) on every batch-processor instance,
 * with its metrics: `bnpl_jobs_stuck` (jobs that had to have shards queued again in the last round),
 * `bnpl_job_shards_requeued_total`, `bnpl_jobs_failed_stalled_total`.
 */
@Module({})
export class JobSupervisionModule {
  static register(options: JobSupervisionOptions): DynamicModule {
    return {
      module: JobSupervisionModule,
      imports: options.imports,
      providers: [
        {
          provide: SUPERVISOR_RUNNER,
          useFactory: (repository: JobRepository, queue: JobQueue, jobs: JobService, meter?: Meter) => {
            const { pickupMs, heartbeatMs } = jobs.leases;
            const runner = new SupervisorRunner(
              new JobSupervisor(repository, queue, jobs, { stallMs: options.stallMs, logger: new Logger('JobSupervisor') }),
              Math.min(30_000, Math.max(1_000, Math.floor(Math.min(pickupMs, heartbeatMs) / 4))),
            );
            meter?.createObservableGauge('bnpl_jobs_stuck', { description: 'Running jobs whose shards had to be queued again in the last supervision round (lost messages, dead runners)' }).addCallback((r) => r.observe(runner.last.stuckJobs));
            meter?.createObservableCounter('bnpl_job_shards_requeued', { description: 'Shards queued again by this instance: not started in time while their job was stuck, or running without a heartbeat' }).addCallback((r) => r.observe(runner.last.requeued));
            meter?.createObservableCounter('bnpl_jobs_failed_stalled', { description: 'Jobs this instance failed for want of progress' }).addCallback((r) => r.observe(runner.last.failed));
            return runner;
          },
          inject: [JOB_REPOSITORY, JOB_QUEUE, JOB_SERVICE, { token: METER, optional: true }],
        },
      ],
    };
  }
}
