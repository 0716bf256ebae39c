import type { IdempotencyClaim, Job, JobAdmission, JobLeases, JobSpec, JobState, Shard, ShardSpec, TrainingSetSpec } from './job.model';

/**
 * The jobs table: jobs, their shards and checkpoints, and materialization watermarks. Every method is
 * one transaction; concurrent batch-processor (and rest-gateway) instances share it safely.
 */
export interface JobRepository {
  /**
   * Inserts a new job in state `pending`. With an idempotency claim whose key is already taken, inserts
   * nothing and returns that job (its id is then not `id`); throws IdempotencyKeyConflictError when that
   * job was asked with another request (another fingerprint).
   *
   * With an admission, the job is the principal's (default principal: `system`), and when the principal
   * already has `maxInFlight` jobs pending or running nothing is inserted and JobQuotaExceededError is
   * thrown; the count and the insert are atomic across instances (1,000 concurrent submissions admit
   * exactly `maxInFlight`). An idempotent retry of an admitted job is answered before the quota is counted.
   */
  createJob(id: string, spec: JobSpec, idempotency?: IdempotencyClaim, admission?: JobAdmission): Promise<Job>;
  getJob(id: string): Promise<Job | null>;
  /** Newest first. */
  listJobs(options: { limit: number; state?: JobState; idempotencyKey?: string }): Promise<Job[]>;
  getShards(jobId: string): Promise<Shard[]>;
  /**
   * Creates the job's shards unless it has some (a redelivered planning message plans nothing twice),
   * moves a pending job to `running` (or straight to `succeeded` when there are no shards: an empty
   * source), and returns every shard. Returns null for a finished job.
   */
  planShards(jobId: string, shards: readonly ShardSpec[]): Promise<Shard[] | null>;
  /**
   * Hands out shards for the queue: of a running job's shards never queued, in order, as many as keep at
   * most `waiting` of its shards queued and not started; marks them queued and returns them (the caller
   * publishes them). The rest wait in the table, not in the broker, so that a broker never holds a job's
   * whole plan (a cancelled job's shards are never published at all).
   */
  queueShards(jobId: string, waiting: number): Promise<Shard[]>;
  /**
   * Hands out shards for the queue across every running job, fairly: room is what keeps at most `total`
   * shards queued and not started over all jobs (and at most `perJob` of any one job); it is filled turn
   * by turn, each principal with shards waiting getting one per turn (its jobs taking turns in their
   * order of submission), counting the shards each principal and job already has queued. So a principal
   * with many jobs, or one job with many shards, never holds the queue against another's: a new job's
   * first shards go ahead of everything a busy principal has not queued yet. Marks the shards queued and
   * returns them with their jobs (the caller publishes them); concurrent calls never overfill the room.
   */
  queueFairly(window: { readonly perJob: number; readonly total: number }): Promise<Array<{ job: Job; shards: Shard[] }>>;
  /**
   * Claims a shard for a run and counts the attempt: the shard with its checkpoint, or null when there is
   * nothing to do (job finished or cancelled, shard done, or running with a heartbeat younger than
   * `leases.heartbeatMs`: a duplicate message while its runner lives).
   */
  startShard(jobId: string, no: number, leases: Pick<JobLeases, 'heartbeatMs'>): Promise<Shard | null>;
  /**
   * A run failed and its message goes back to the queue: the shard is pending again (keeping its
   * checkpoint and the error), so that the redelivery claims it at once.
   */
  releaseShard(jobId: string, no: number, error: string): Promise<void>;
  /** A running shard's sign of life; resolves `false` when its job is no longer running (stop working). */
  heartbeat(jobId: string, no: number): Promise<boolean>;
  /** Records progress; resolves `false` when the job was cancelled meanwhile (stop working). */
  saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean>;
  /** Marks the shard done; the job succeeds with its last shard. Returns the job after the update. */
  finishShard(jobId: string, no: number, rowsDone: number): Promise<Job>;
  /** Marks the shard and its job failed. */
  failShard(jobId: string, no: number, error: string): Promise<Job>;
  /** Cancels a job that has not finished; returns it (unchanged when finished), or null when unknown. */
  cancelJob(id: string): Promise<Job | null>;
  /**
   * Running jobs, oldest first; with `idleForMs`, only those none of whose shards made progress for that
   * long (the supervisor tops up only these: a moving job's runners top up its window themselves).
   */
  runningJobs(limit: number, idleForMs?: number): Promise<Job[]>;
  /**
   * Shards whose message is presumed lost, marked queued again (their delivery counted) and returned with
   * their job for the caller to publish: queued shards not started for `pickupMs` while no shard of their
   * job made progress for as long, and running shards without a heartbeat for `heartbeatMs` (at most once
   * per `heartbeatMs` while nobody claims them).
   */
  requeueLost(leases: JobLeases): Promise<Array<{ job: Job; shards: Shard[] }>>;
  /**
   * Fails every running job with no progress (a shard started, checkpointed or finished) for `stallMs`,
   * with a reason naming what it waited for; returns them.
   */
  failStalled(stallMs: number): Promise<Job[]>;
  /** The event time of the view's last successful materialization, or null. */
  getWatermark(view: string): Promise<Date | null>;
  setWatermark(view: string, at: Date): Promise<void>;
}

/** Where jobs' shards go (Pub/Sub in production, in-process locally). Delivery is at least once. */
export interface JobQueue {
  /** Hands one shard to whichever batch-processor instance pulls it. */
  requestShard(job: Job, shard: Shard): Promise<void>;
  /** Publishes a job's state for watchers (CLI, dashboards). Best effort. */
  reportProgress(job: Job): Promise<void>;
}

/**
 * Builds a training set from the offline store (see `OfflineStore.getHistoricalFeatures`): validates the
 * entity file before any work (missing columns, bad timestamps, duplicate rows are rejected with the
 * reason) and writes one output row per entity row. Resolves with the number of rows written.
 */
export interface TrainingSetBuilder {
  build(spec: TrainingSetSpec): Promise<number>;
}

/**
 * Where training-set files may be (the job files roots): a local directory (`JOB_FILES_ROOT`) and, for
 * outputs of a BigQuery offline store, allowed `gs://` buckets. Both methods take a path as the caller
 * gave it and resolve with what to open (an absolute local path, or the URI), or throw
 * JobFileRefusedError naming the field and the problem: `..`, an absolute path outside the root, a
 * symbolic link leading out of it (judged before anything outside is looked at, so an answer never tells
 * whether a path outside exists), a missing input, an output that exists without `overwrite`. Called at
 * submission and again by the runner right before it reads or writes.
 */
export interface JobFiles {
  /** An input file (the entity file): it must exist inside the root. */
  input(field: string, path: string): Promise<string>;
  /** An output file or URI: inside the roots, and not existing unless `overwrite`. */
  output(field: string, path: string, overwrite: boolean): Promise<string>;
}

/** An inclusive range of entity ids (canonical decimal strings). */
export interface IdRange {
  readonly fromId: string;
  readonly toId: string;
}

/** How far the stream's change log reaches: every change committed in `[since, through)` is recorded. */
export interface ChangeLogCoverage {
  /** Changes before this are not in the log (it started, or restarted after a gap, then). */
  readonly since: Date;
  /** Every change committed before this is in the log. */
  readonly through: Date;
}

/** Facts about the source the planner needs. */
export interface SourceStats {
  /**
   * Shard boundaries over the ids that exist: consecutive ranges covering every id of the entity's table,
   * each holding `shardSize` ids (the last one fewer), whatever the gaps between ids. Empty for an empty
   * table.
   */
  idRanges(entity: string, shardSize: number): Promise<IdRange[]>;
  /** What the change log (kept by the streaming path) covers, or null when there is none. */
  changeLogCoverage(): Promise<ChangeLogCoverage | null>;
  /**
   * Shard boundaries over the ids of `entity` the change log records as changed in any of `views` after
   * `since` (ranges of `shardSize` changed ids).
   */
  changedIdRanges(entity: string, views: readonly string[], since: Date, shardSize: number): Promise<IdRange[]>;
  /**
   * Ids of `entity` in [fromId, toId] the change log records as changed in any of `views` after `since`,
   * ascending. Feeds incremental materialization: deletes, both sides of a move and tables without a
   * timestamp column are there, since the log comes from the stream, not from timestamp columns.
   */
  changedEntityIds(entity: string, views: readonly string[], since: Date, fromId: string, toId: string): Promise<string[]>;
}
