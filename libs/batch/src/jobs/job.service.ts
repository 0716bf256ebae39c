import type { Catalog, SourceFeatureReader } from '@bnpl/feature-definitions';
import type { OnlineStore } from '@bnpl/online-store';
import { materializeRange } from '../materialize/materialize-range';
import type { FeatureHistorySink } from '../ports/feature-history-sink.port';
import { JobNotFoundError } from './invalid-job-request.error';
import type { JobQueue, JobRepository, SourceStats, TrainingSetBuilder } from './job-ports';
import { validateJobRequest, type JobRequest } from './job-request';
import type { Job, Shard } from './job.model';
import { planShards } from './plan-shards';

export interface JobServiceDeps {
  readonly catalog: Catalog;
  readonly repository: JobRepository;
  readonly queue: JobQueue;
  readonly stats: SourceStats;
  readonly source: SourceFeatureReader;
  /** Needed to run materialize shards (not to submit or read jobs). */
  readonly online?: OnlineStore;
  /** The offline store's history (materialize and backfill jobs write it when present). */
  readonly history?: FeatureHistorySink;
  /** Runs historical jobs (training sets), where the process has an offline store. */
  readonly trainingSets?: TrainingSetBuilder;
}

export interface JobServiceOptions {
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Runs of one shard before its job is marked failed (each run resumes from the checkpoint). Default 3. */
  readonly maxShardAttempts?: number;
  /** Entities per source query, and chunks in flight per shard (see materializeRange). */
  readonly chunkSize?: number;
  readonly concurrency?: number;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

/** What a shard run did; every outcome but a thrown error means "acknowledge the message". */
export type ShardOutcome = 'done' | 'skipped' | 'cancelled' | 'failed';

/**
 * Jobs, from request to completion. The edges (REST, CLI) call `submit`, `get`, `list` and `cancel`;
 * batch-processor instances call `runShard` for each shard message they pull from the queue.
 *
 * Delivery is at least once and instances may die at any point, so every step is idempotent: a shard
 * resumes from its checkpoint and rewrites (if-newer at the job's as-of instant: already written rows
 * are skipped) at most the chunks in flight when it died; a finished shard or job is skipped.
 */
export class JobService {
  readonly #clock: () => Date;
  readonly #newId: () => string;
  readonly #maxAttempts: number;

  constructor(
    private readonly deps: JobServiceDeps,
    private readonly options: JobServiceOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    this.#maxAttempts = options.maxShardAttempts ?? 3;
  }

  /**
   * Validates (before anything is written), records the job, splits it into shards and hands each to the
   * queue. Planning happens here, once, so every shard's as-of instant is fixed before any runs. When the
   * queue refuses a shard, the job is marked failed (nothing was lost: no shard had run) and the error
   * rethrown.
   */
  async submit(request: JobRequest): Promise<Job> {
    const spec = validateJobRequest(this.deps.catalog, request, this.#clock());
    const created = await this.deps.repository.createJob(this.#newId(), spec);
    const specs = await planShards(this.deps.catalog, spec, {
      now: this.#clock(),
      maxEntityId: (entity) => this.deps.stats.maxEntityId(entity),
      watermark: (view) => this.deps.repository.getWatermark(view),
    });
    const shards = (await this.deps.repository.planShards(created.id, specs)) ?? [];
    const job = (await this.deps.repository.getJob(created.id)) ?? created;
    try {
      for (const shard of shards) await this.deps.queue.requestShard(job, shard);
    } catch (error) {
      await this.deps.repository.failShard(job.id, shards[0].no, `the shards could not be queued: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    await this.#report(job);
    return job;
  }

  async get(id: string): Promise<{ job: Job; shards: Shard[] }> {
    const job = await this.deps.repository.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    return { job, shards: await this.deps.repository.getShards(id) };
  }

  list(options: { limit?: number; state?: Job['state'] } = {}): Promise<Job[]> {
    return this.deps.repository.listJobs({ limit: options.limit ?? 50, ...(options.state ? { state: options.state } : {}) });
  }

  /** Shards in flight stop at their next checkpoint. */
  async cancel(id: string): Promise<Job> {
    const job = await this.deps.repository.cancelJob(id);
    if (!job) throw new JobNotFoundError(id);
    await this.#report(job);
    return job;
  }

  /**
   * Handler of a shard message. Resolves when the message can be acknowledged; rejects (so the message
   * is redelivered and the shard resumes from its checkpoint) while attempts remain.
   */
  async runShard(jobId: string, no: number): Promise<ShardOutcome> {
    const shard = await this.deps.repository.startShard(jobId, no);
    if (!shard) return 'skipped';
    if (shard.writeOnline && !this.deps.online) throw new Error('this process has no online store: it cannot run materialize shards');
    const job = await this.deps.repository.getJob(jobId);
    if (job?.spec.kind === 'historical') return this.#buildTrainingSet(job, shard);
    const cancelled = new AbortController();
    try {
      const progress = await materializeRange(
        { catalog: this.deps.catalog, source: this.deps.source, history: this.deps.history, ...(shard.writeOnline ? { online: this.deps.online } : {}) },
        {
          views: shard.views,
          fromId: shard.fromId,
          toId: shard.toId,
          asOf: shard.asOf,
          chunkSize: this.options.chunkSize,
          concurrency: this.options.concurrency,
          ...(shard.checkpointId ? { resumeAfter: shard.checkpointId } : {}),
          ...(shard.changedSince ? { select: this.#changedIn(shard, shard.changedSince) } : {}),
          signal: cancelled.signal,
          onCheckpoint: async (p) => {
            const alive = await this.deps.repository.saveCheckpoint(jobId, no, p.doneThroughId, shard.rowsDone + p.rows);
            if (!alive) cancelled.abort(new Error('job cancelled'));
          },
        },
      );
      const job = await this.deps.repository.finishShard(jobId, no, shard.rowsDone + progress.rows);
      if (job.state === 'succeeded' && job.spec.kind === 'materialize') {
        for (const view of job.spec.views) await this.deps.repository.setWatermark(view, shard.asOf);
      }
      await this.#report(job);
      return 'done';
    } catch (error) {
      if (cancelled.signal.aborted) return 'cancelled';
      const message = error instanceof Error ? error.message : String(error);
      if (shard.attempts < this.#maxAttempts) {
        this.options.logger?.warn(`Job ${jobId} shard ${no} attempt ${shard.attempts} failed (${message}); it will resume from its checkpoint`);
        throw error;
      }
      await this.#report(await this.deps.repository.failShard(jobId, no, `shard ${no} failed ${shard.attempts} times; last error: ${message}`));
      return 'failed';
    }
  }

  /**
   * A training set either builds or fails for a reason in its input (a missing column, a bad timestamp):
   * retrying cannot help, so a rejected input fails the job at once with the store's message; only an
   * unavailable store is retried.
   */
  async #buildTrainingSet(job: Job, shard: Shard): Promise<ShardOutcome> {
    const spec = job.spec.trainingSet;
    if (!this.deps.trainingSets || !spec) {
      await this.#report(await this.deps.repository.failShard(job.id, shard.no, 'this batch-processor has no offline store (OFFLINE_STORE=none): it cannot build training sets'));
      return 'failed';
    }
    try {
      const rows = await this.deps.trainingSets.build(spec);
      await this.#report(await this.deps.repository.finishShard(job.id, shard.no, rows));
      return 'done';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = (error as { reason?: string }).reason === 'OFFLINE_STORE_UNAVAILABLE' && shard.attempts < this.#maxAttempts;
      if (retryable) throw error;
      await this.#report(await this.deps.repository.failShard(job.id, shard.no, message));
      return 'failed';
    }
  }

  #changedIn(shard: Shard, since: Date) {
    return (fromId: string, toId: string) => this.deps.stats.changedEntityIds(shard.entity, shard.views, since, fromId, toId);
  }

  async #report(job: Job): Promise<void> {
    try {
      await this.deps.queue.reportProgress(job);
    } catch (error) {
      this.options.logger?.warn(`Progress of job ${job.id} not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
