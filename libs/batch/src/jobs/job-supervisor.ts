import type { JobQueue, JobRepository } from './job-ports';
import type { Job } from './job.model';
import type { JobService } from './job.service';

export interface JobSupervisorOptions {
  /** A running job with no progress (a shard started, checkpointed or finished) for this long is failed. */
  readonly stallMs: number;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

/** What one round of supervision did. */
export interface SupervisionRound {
  /** Shards handed to the queue again: their message was lost, or their runner died. */
  readonly requeued: number;
  /** Jobs whose shards were queued again: stuck until now. */
  readonly stuckJobs: number;
  /** Shards queued into jobs' windows (room left by a crash between a start and its top-up). */
  readonly queued: number;
  /** Jobs given up for want of progress. */
  readonly failed: readonly Job[];
}

/**
 * Keeps every running job moving, whatever happened to its messages: a broker may drop or dead-letter a
 * shard message that waited too long (Pub/Sub counts a message held by a consumer's flow control as
 * delivered each time it is handed out; the emulator drops messages undelivered for 10 minutes), a
 * process may die between a start and the next top-up, a runner may die mid-shard. Each round, run by
 * every batch-processor instance (the repository's updates make concurrent rounds harmless: a shard
 * queued twice runs once, its heartbeat turning the duplicate away):
 * 1. shards presumed lost (see `JobRepository.requeueLost`) are queued again;
 * 2. the window of queued shards of every running job that stopped moving is topped up;
 * 3. a job with no progress for `stallMs` fails with a reason instead of staying `running` for ever.
 */
export class JobSupervisor {
  constructor(
    private readonly repository: JobRepository,
    private readonly queue: JobQueue,
    private readonly jobs: JobService,
    private readonly options: JobSupervisorOptions,
  ) {}

  async round(): Promise<SupervisionRound> {
    const lost = await this.repository.requeueLost(this.jobs.leases);
    let requeued = 0;
    for (const { job, shards } of lost) {
      for (const shard of shards) await this.queue.requestShard(job, shard);
      requeued += shards.length;
      this.options.logger?.warn(
        `Job ${job.id}: queued shard(s) ${shards.map((s) => s.no).join(', ')} again (not started within ${this.jobs.leases.pickupMs / 1000} s while the job made no progress, or running without a heartbeat for ${this.jobs.leases.heartbeatMs / 1000} s)`,
      );
    }
    let queued = 0;
    // Only jobs that stopped moving: a moving job's runners top up its window as each shard starts (inside
    // the shard's trace); a crash between a start and its top-up leaves a window short, and the job idle.
    // The queue's room is shared by every job (filled fairly), so one top-up serves them all.
    const idle = await this.repository.runningJobs(1, this.jobs.leases.heartbeatMs);
    if (idle.length > 0) queued += await this.jobs.queueNext(idle[0]);
    const failed = await this.repository.failStalled(this.options.stallMs);
    for (const job of failed) {
      this.options.logger?.warn(`Job ${job.id} failed: ${job.error ?? 'no progress'}`);
      await this.queue.reportProgress(job).catch(() => undefined);
    }
    return { requeued, stuckJobs: lost.length, queued, failed };
  }
}
