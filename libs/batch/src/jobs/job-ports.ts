import type { Job, JobSpec, JobState, Shard, ShardSpec, TrainingSetSpec } from './job.model';

/**
 * The jobs table: jobs, their shards and checkpoints, and materialization watermarks. Every method is
 * one transaction; concurrent batch-processor instances share it safely.
 */
export interface JobRepository {
  /** Inserts a new job in state `pending`. */
  createJob(id: string, spec: JobSpec): Promise<Job>;
  getJob(id: string): Promise<Job | null>;
  /** Newest first. */
  listJobs(options: { limit: number; state?: JobState }): Promise<Job[]>;
  getShards(jobId: string): Promise<Shard[]>;
  /**
   * Creates the job's shards unless it has some (a redelivered planning message plans nothing twice),
   * moves a pending job to `running` (or straight to `succeeded` when there are no shards: an empty
   * source), and returns every shard. Returns null for a finished job.
   */
  planShards(jobId: string, shards: readonly ShardSpec[]): Promise<Shard[] | null>;
  /**
   * Claims a shard for a run and counts the attempt: the shard with its checkpoint, or null when there is
   * nothing to do (job finished or cancelled, shard done).
   */
  startShard(jobId: string, no: number): Promise<Shard | null>;
  /** Records progress; resolves `false` when the job was cancelled meanwhile (stop working). */
  saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean>;
  /** Marks the shard done; the job succeeds with its last shard. Returns the job after the update. */
  finishShard(jobId: string, no: number, rowsDone: number): Promise<Job>;
  /** Marks the shard and its job failed. */
  failShard(jobId: string, no: number, error: string): Promise<Job>;
  /** Cancels a job that has not finished; returns it (unchanged when finished), or null when unknown. */
  cancelJob(id: string): Promise<Job | null>;
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

/** Facts about the source the planner needs. */
export interface SourceStats {
  /** The highest id of an entity's table (`0` when empty). */
  maxEntityId(entity: string): Promise<string>;
  /**
   * Ids of `entity` in [fromId, toId] with a source row (of any table the views read) changed after
   * `since`, ascending. Feeds incremental materialization.
   */
  changedEntityIds(entity: string, views: readonly string[], since: Date, fromId: string, toId: string): Promise<string[]>;
}
