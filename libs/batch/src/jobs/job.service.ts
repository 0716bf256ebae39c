import type { Catalog, PointInTimeSourceReader, SourceFeatureReader } from '@bnpl/feature-definitions';
import type { OnlineStore } from '@bnpl/online-store';
import { materializeRange } from '../materialize/materialize-range';
import type { FeatureHistorySink } from '../ports/feature-history-sink.port';
import { InvalidJobRequestError, JobFileRefusedError, JobNotFoundError } from './invalid-job-request.error';
import type { JobFiles, JobQueue, JobRepository, SourceStats, TrainingSetBuilder } from './job-ports';
import { validateJobRequest, type JobRequest } from './job-request';
import type { Job, JobLeases, JobSpec, Shard, TrainingSetSpec } from './job.model';
import { planShards } from './plan-shards';

export interface JobServiceDeps {
  readonly catalog: Catalog;
  readonly repository: JobRepository;
  readonly queue: JobQueue;
  readonly stats: SourceStats;
  readonly source: SourceFeatureReader;
  /** Backfills read the past through it (needed to run backfill shards). */
  readonly pastSource?: PointInTimeSourceReader;
  /** Needed to run materialize shards (not to submit or read jobs). */
  readonly online?: OnlineStore;
  /** The offline store's history (materialize and backfill jobs write it when present). */
  readonly history?: FeatureHistorySink;
  /** Runs historical jobs (training sets), where the process has an offline store. */
  readonly trainingSets?: TrainingSetBuilder;
  /**
   * The job files roots: training-set paths are checked against them at submission and again before a
   * run reads or writes. Without it (unit tests of other behaviour) paths are taken as given.
   */
  readonly files?: JobFiles;
}

export interface JobServiceOptions {
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Runs of one shard before its job is marked failed (each run resumes from the checkpoint). Default 3. */
  readonly maxShardAttempts?: number;
  /** Entities per source query, and chunks in flight per shard (see materializeRange). */
  readonly chunkSize?: number;
  readonly concurrency?: number;
  /**
   * Shards of one job queued and not yet started at most (default 8): the rest wait in the jobs table and
   * are queued as earlier ones start. A broker never holds a job's whole plan, so no shard waits there for
   * long (brokers drop or dead-letter messages that wait too long), and a cancelled job leaves nothing
   * behind in it.
   */
  readonly queuedShardsPerJob?: number;
  /**
   * Shards queued and not yet started over all jobs at most (default 32), filled fairly between principals
   * and their jobs (see `JobRepository.queueFairly`): what the broker holds is a few turns of every job,
   * never one job's (or one principal's) backlog ahead of another's.
   */
  readonly queuedShardsTotal?: number;
  /** Smallest `shard_size` a submission may ask for (default 1; the services pass JOBS_MIN_SHARD_SIZE). */
  readonly minShardSize?: number;
  /**
   * Jobs in flight (pending or running) per principal at most, for submissions that name their principal
   * (the REST API; default: no limit). Internal submitters (the scheduler, the online-store rebuild)
   * submit as `system` without a quota.
   */
  readonly maxJobsInFlightPerPrincipal?: number;
  /** What a refused submission is told to wait (Retry-After), seconds; default 30. */
  readonly quotaRetryAfterSeconds?: number;
  /** See JobLeases. Defaults: pickup 5 min, heartbeat 30 s. */
  readonly leases?: Partial<JobLeases>;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

/** What a shard run did; every outcome but a thrown error means "acknowledge the message". */
export type ShardOutcome = 'done' | 'skipped' | 'cancelled' | 'failed';

/** Printable ASCII without spaces, as HTTP header values and CLI flags carry it. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Jobs, from request to completion. The edges (REST, CLI) call `submit`, `get`, `list` and `cancel`;
 * batch-processor instances call `runShard` for each shard message they pull from the queue, and the
 * JobSupervisor keeps every running job moving.
 *
 * Delivery is at least once and instances may die at any point, so every step is idempotent: a shard
 * resumes from its checkpoint and rewrites (if-newer at the job's as-of instant: already written rows
 * are skipped) at most the chunks in flight when it died; a finished shard or job is skipped; a duplicate
 * message for a shard whose runner is alive (heartbeat) is skipped.
 */
export class JobService {
  readonly #clock: () => Date;
  readonly #newId: () => string;
  readonly #maxAttempts: number;
  readonly #window: number;
  readonly #total: number;
  readonly #leases: JobLeases;

  constructor(
    private readonly deps: JobServiceDeps,
    private readonly options: JobServiceOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    this.#maxAttempts = options.maxShardAttempts ?? 3;
    this.#window = Math.max(1, options.queuedShardsPerJob ?? 8);
    this.#total = Math.max(1, options.queuedShardsTotal ?? 32);
    this.#leases = { pickupMs: options.leases?.pickupMs ?? 300_000, heartbeatMs: options.leases?.heartbeatMs ?? 30_000 };
  }

  get leases(): JobLeases {
    return this.#leases;
  }

  /**
   * Validates (before anything is written), records the job, splits it into shards and queues the first
   * of them. Planning happens here, once, so every shard's as-of instant is fixed before any runs. When
   * the queue refuses a shard, the job is marked failed (nothing was lost: no shard had run) and the error
   * rethrown.
   *
   * With an idempotency key (the client's name for this submission), a retry gets the job the first call
   * created instead of a second one, also when the first call's answer never arrived; the same key with
   * another request is refused (IdempotencyKeyConflictError).
   *
   * With a `principal` (the REST API's caller), the job is counted against the principal's quota of jobs
   * in flight (JobQuotaExceededError); without one it is the `system`'s, without a quota. A training set's
   * files are checked against the job files roots (JobFileRefusedError) before anything is recorded.
   */
  async submit(request: JobRequest, options: { idempotencyKey?: string; principal?: string } = {}): Promise<Job> {
    const spec = validateJobRequest(this.deps.catalog, request, this.#clock(), { minShardSize: this.options.minShardSize });
    const key = options.idempotencyKey;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new InvalidJobRequestError('The idempotency key must be 1 to 128 printable ASCII characters without spaces');
    if (spec.trainingSet) await this.#checkFiles(spec.trainingSet, key);
    const id = this.#newId();
    const admission = options.principal === undefined ? { principal: 'system' } : { principal: options.principal, maxInFlight: this.options.maxJobsInFlightPerPrincipal };
    const created = await this.deps.repository.createJob(id, spec, key === undefined ? undefined : { key, fingerprint: await fingerprintOf(spec) }, admission);
    // A retry of a submission that got as far as planning: its shards are in the table, and queueing them
    // again is the supervisor's work (an earlier call may still be publishing them).
    if (created.id !== id && created.state !== 'pending') return created;
    const now = this.#clock();
    const specs = await planShards(this.deps.catalog, spec, {
      now,
      idRanges: (entity, size) => this.deps.stats.idRanges(entity, size),
      watermark: (view) => this.deps.repository.getWatermark(view),
      changeLogCoverage: () => this.deps.stats.changeLogCoverage(),
      changedIdRanges: (entity, views, since, size) => this.deps.stats.changedIdRanges(entity, views, since, size),
    });
    const shards = (await this.deps.repository.planShards(created.id, specs)) ?? [];
    // Nothing changed since the last run: the watermarks move all the same.
    if (shards.length === 0 && spec.kind === 'materialize') await this.#moveWatermarks(spec, now);
    const job = (await this.deps.repository.getJob(created.id)) ?? created;
    try {
      await this.queueNext(job);
    } catch (error) {
      if (shards.length > 0) await this.deps.repository.failShard(job.id, shards[0].no, `the shards could not be queued: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    await this.#report(job);
    return job;
  }

  /**
   * A training set's files, checked against the job files roots before anything is recorded. A retry with
   * the idempotency key of a job already recorded is let through (its output may exist by now: the first
   * call's job wrote it); createJob answers it with that job.
   */
  async #checkFiles(spec: TrainingSetSpec, key: string | undefined): Promise<void> {
    const files = this.deps.files;
    if (!files) return;
    try {
      await files.input('entity_file', spec.entityFile);
      await files.output('output_file', spec.outputFile, spec.overwrite === true);
    } catch (error) {
      if (error instanceof JobFileRefusedError && key !== undefined && (await this.deps.repository.listJobs({ limit: 1, idempotencyKey: key })).length > 0) return;
      throw error;
    }
  }

  /**
   * Fills the queue's room with the next shards of every running job, fairly between principals and jobs
   * (see `JobRepository.queueFairly`). Called when a job is submitted, when a shard starts (it left the
   * queue) and by the supervisor; `_job` is the job that made room, kept for the callers' readability.
   */
  async queueNext(_job?: Job): Promise<number> {
    const batches = await this.deps.repository.queueFairly({ perJob: this.#window, total: this.#total });
    let queued = 0;
    for (const { job, shards } of batches) {
      for (const shard of shards) await this.deps.queue.requestShard(job, shard);
      queued += shards.length;
    }
    return queued;
  }

  async get(id: string): Promise<{ job: Job; shards: Shard[] }> {
    const job = await this.deps.repository.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    return { job, shards: await this.deps.repository.getShards(id) };
  }

  list(options: { limit?: number; state?: Job['state']; idempotencyKey?: string } = {}): Promise<Job[]> {
    return this.deps.repository.listJobs({
      limit: options.limit ?? 50,
      ...(options.state ? { state: options.state } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    });
  }

  /** Shards in flight stop at their next checkpoint or heartbeat; shards not queued yet never are. */
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
    const shard = await this.deps.repository.startShard(jobId, no, this.#leases);
    if (!shard) return 'skipped';
    const job = await this.deps.repository.getJob(jobId);
    if (!job) return 'skipped';
    // This shard left the queue: make room for the next one.
    await this.queueNext(job).catch((error: unknown) => this.options.logger?.warn(`Job ${jobId}: queueing further shards failed (the supervisor retries): ${String(error)}`));
    if (job.spec.kind === 'historical') return this.#buildTrainingSet(job, shard);
    const cancelled = new AbortController();
    const heartbeat = setInterval(() => {
      this.deps.repository.heartbeat(jobId, no).then(
        (alive) => alive || cancelled.abort(new Error('job cancelled')),
        () => undefined, // the next beat or checkpoint tries again
      );
    }, Math.max(10, Math.floor(this.#leases.heartbeatMs / 4)));
    try {
      const progress = await this.#materialize(job, shard, cancelled);
      const after = await this.deps.repository.finishShard(jobId, no, shard.rowsDone + progress.rows);
      if (after.state === 'succeeded' && after.spec.kind === 'materialize') {
        const shards = await this.deps.repository.getShards(jobId);
        const to = Math.min(...shards.map((s) => (s.watermarkTo ?? s.asOf).getTime()));
        await this.#moveWatermarks(after.spec, new Date(to));
      }
      await this.#report(after);
      return 'done';
    } catch (error) {
      if (cancelled.signal.aborted) return 'cancelled';
      const message = error instanceof Error ? error.message : String(error);
      if (shard.attempts < this.#maxAttempts) {
        this.options.logger?.warn(`Job ${jobId} shard ${no} attempt ${shard.attempts} failed (${message}); it will resume from its checkpoint`);
        await this.deps.repository.releaseShard(jobId, no, message).catch(() => undefined); // else claimable once its heartbeat is old
        throw error;
      }
      await this.#report(await this.deps.repository.failShard(jobId, no, `shard ${no} failed ${shard.attempts} times; last error: ${message}`));
      return 'failed';
    } finally {
      clearInterval(heartbeat);
    }
  }

  #materialize(job: Job, shard: Shard, cancelled: AbortController) {
    const backfill = job.spec.kind === 'backfill';
    const past = this.deps.pastSource;
    if (backfill && !past) throw new Error('this process has no point-in-time source reader: it cannot run backfill shards');
    if (shard.writeOnline && !this.deps.online) throw new Error('this process has no online store: it cannot run materialize shards');
    // A backfill reads the source as of its instant (no entity before it existed, no row after it).
    const source: SourceFeatureReader =
      backfill && past
        ? {
            readView: (v, ids, at) => past.readViewAt(v, ids, at),
            readViewRange: (v, from, to, at) => past.readViewRangeAt(v, from, to, at),
            ...(past.readViewsRangeAt ? { readViewsRange: past.readViewsRangeAt.bind(past) } : {}),
          }
        : this.deps.source;
    return materializeRange(
      { catalog: this.deps.catalog, source, history: this.deps.history, ...(shard.writeOnline ? { online: this.deps.online } : {}) },
      {
        views: shard.views,
        fromId: shard.fromId,
        toId: shard.toId,
        asOf: shard.asOf,
        // A backfill's rows are dated at its instant; a materialization's history at the moment it read the source.
        historyTime: backfill ? 'as-of' : 'read',
        clock: this.#clock,
        chunkSize: this.options.chunkSize,
        concurrency: this.options.concurrency,
        ...(shard.checkpointId ? { resumeAfter: shard.checkpointId } : {}),
        ...(shard.changedSince ? { select: this.#changedIn(shard, shard.changedSince) } : {}),
        signal: cancelled.signal,
        onCheckpoint: async (p) => {
          const alive = await this.deps.repository.saveCheckpoint(job.id, shard.no, p.doneThroughId, shard.rowsDone + p.rows);
          if (!alive) cancelled.abort(new Error('job cancelled'));
        },
      },
    );
  }

  async #moveWatermarks(spec: JobSpec, to: Date): Promise<void> {
    for (const view of spec.views) await this.deps.repository.setWatermark(view, to);
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
    // Checked again where the files are, right before they are read and written: a link placed since the
    // submission is refused too. A retried run may replace what its own earlier attempt began to write.
    let resolved: TrainingSetSpec = spec;
    try {
      const overwrite = spec.overwrite === true || shard.attempts > 1;
      if (this.deps.files) {
        resolved = {
          ...spec,
          entityFile: await this.deps.files.input('entity_file', spec.entityFile),
          outputFile: await this.deps.files.output('output_file', spec.outputFile, overwrite),
          overwrite,
        };
      }
      const rows = await this.deps.trainingSets.build(resolved);
      await this.#report(await this.deps.repository.finishShard(job.id, shard.no, rows));
      return 'done';
    } catch (error) {
      const message = trainingSetErrorMessage(error, spec, resolved);
      const retryable = (error as { reason?: string }).reason === 'OFFLINE_STORE_UNAVAILABLE' && shard.attempts < this.#maxAttempts;
      if (retryable) {
        await this.deps.repository.releaseShard(job.id, shard.no, message).catch(() => undefined);
        throw error;
      }
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

/**
 * A training set's failure as the job reports it (to anyone who may read jobs): the paths as the caller
 * gave them, never the host paths they resolved to, and nothing read from the entity file: its header
 * (the column list a missing-column message adds), cell values (quoted in row messages) and the reader's
 * own description of unreadable input (which quotes the offending line) are left out. Row numbers and the
 * columns the store requires remain, which is what the caller needs to fix the file.
 */
export function trainingSetErrorMessage(error: unknown, asked: TrainingSetSpec, resolved: TrainingSetSpec): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const [host, given] of [
    [resolved.entityFile, asked.entityFile],
    [resolved.outputFile, asked.outputFile],
  ]) {
    if (host !== given && host.length > 0) message = message.split(host).join(given);
  }
  message = message
    .replace(/\s*\(columns: [^)]*\)/g, '')
    .replace(/ cannot be read:[\s\S]*$/, ' cannot be read (not a CSV file with a header row, or a Parquet file)')
    // The store's failure: what it was doing, not the driver's words (they may quote the input).
    .replace(/^(Offline store \([^)]*\) failed: [^:]*):[\s\S]*$/, '$1')
    .replace(/\s"(?:[^"\\]|\\.)*"|\s'(?:[^'\\]|\\.)*'/g, '');
  return message.length > 500 ? `${message.slice(0, 500)}...` : message;
}

/** The digest of a validated request an idempotency key is bound to. */
async function fingerprintOf(spec: JobSpec): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(spec)));
  return Buffer.from(digest).toString('hex');
}
