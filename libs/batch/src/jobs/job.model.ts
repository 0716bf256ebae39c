/**
 * - `materialize`: compute the views as of now for every entity (or, `incremental`, only those the
 *   stream's change log records as changed since the view's last successful run) into the online and
 *   offline stores.
 * - `backfill`: compute the views as of the end of each day of a time range into the offline store
 *   (history for training sets), from what the source can tell about that instant (no entity before it
 *   existed, no event after the day, nothing for features without history); the online store is left
 *   alone.
 * - `historical`: build a point-in-time-correct training set from the offline store for an entity file
 *   of (ids, event_timestamp[, labels]) rows, into an output file.
 */
export type JobKind = 'materialize' | 'backfill' | 'historical';
export const JOB_KINDS: readonly JobKind[] = ['materialize', 'backfill', 'historical'];

/**
 * A training-set request: where its entity rows are and where the result goes, as the caller gave them:
 * paths relative to the batch-processor's job files root (`JOB_FILES_ROOT`), or a `gs://` URI of an allowed
 * bucket for the output (see `JobFiles`).
 */
export interface TrainingSetSpec {
  readonly entityFile: string;
  readonly outputFile: string;
  /** Replace an output that exists (default false: such a request is refused). */
  readonly overwrite?: boolean;
  readonly outputFormat: 'parquet' | 'csv';
  /** `view:feature` references, or null with `featureService`. */
  readonly features: readonly string[] | null;
  readonly featureService: string | null;
}

export type JobState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ShardState = 'pending' | 'running' | 'done' | 'failed';

/** What a job does, validated (see `validateJobRequest`). */
export interface JobSpec {
  readonly kind: JobKind;
  /** Stored views, of one or more entities (shards are per entity). */
  readonly views: readonly string[];
  /** materialize only: only entities changed since each view's watermark. */
  readonly incremental: boolean;
  /** backfill only: the days (UTC) whose end-of-day values are computed, inclusive. */
  readonly from: Date | null;
  readonly to: Date | null;
  /** Entities per shard (a unit of work handed to one batch-processor instance). */
  readonly shardSize: number;
  /** historical only. */
  readonly trainingSet?: TrainingSetSpec;
}

export interface Job {
  readonly id: string;
  readonly spec: JobSpec;
  /** The client's key for this submission (`Idempotency-Key`): a retry with it gets this job back. */
  readonly idempotencyKey: string | null;
  /**
   * Who submitted it (the principal's name; `anonymous` when access control is off, `system` for the
   * scheduler and the online-store rebuild): quotas and fair scheduling count per principal.
   */
  readonly principal: string;
  readonly state: JobState;
  readonly shardsTotal: number;
  readonly shardsDone: number;
  /** Rows (entity x view) written, over every shard. */
  readonly rowsDone: number;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

/** One unit of work: a range of one entity's ids, its views, computed as of one instant. */
export interface ShardSpec {
  readonly no: number;
  readonly entity: string;
  readonly views: readonly string[];
  readonly fromId: string;
  readonly toId: string;
  readonly asOf: Date;
  /** Incremental materialization: only entities changed since this instant. */
  readonly changedSince: Date | null;
  /** Write the online store too (materialize) or only the history (backfill). */
  readonly writeOnline: boolean;
  /**
   * materialize: where each view's watermark moves when the job succeeds: the instant up to which every
   * source change is covered (the as-of instant of a full run; the change log's completeness of an
   * incremental one). Null for other kinds.
   */
  readonly watermarkTo: Date | null;
}

export interface Shard extends ShardSpec {
  readonly jobId: string;
  readonly state: ShardState;
  /** Every id <= this is done (null: nothing yet). A redelivered shard resumes after it. */
  readonly checkpointId: string | null;
  readonly rowsDone: number;
  /** Runs started, including the current one. */
  readonly attempts: number;
  readonly error: string | null;
  /** When the shard was last handed to the queue (null: not yet: it waits for room in the job's window). */
  readonly queuedAt: Date | null;
  /** How many times it was handed to the queue (more than once when a message was lost or a runner died). */
  readonly deliveries: number;
  /** The runner's last sign of life while running. */
  readonly heartbeatAt: Date | null;
  /** The last start, checkpoint or finish: progress, which heartbeats are not. */
  readonly progressAt: Date | null;
}

/** A client's idempotency key and what it asked for: a retry with the key and the same request gets the same job. */
export interface IdempotencyClaim {
  readonly key: string;
  /** A digest of the validated request: the same key with another request is refused. */
  readonly fingerprint: string;
}

/** What a submission is admitted against: whose it is and how many jobs that principal may have in flight. */
export interface JobAdmission {
  readonly principal: string;
  /** Jobs (pending or running) of the principal at most, this one included; undefined: no limit. */
  readonly maxInFlight?: number;
}

/** How long silence is tolerated before a shard is handed out again, or a job given up. */
export interface JobLeases {
  /** A queued shard not started for this long while its job makes no progress is queued again (its message was lost). */
  readonly pickupMs: number;
  /** A running shard without a heartbeat for this long is taken as dead: queued again and claimable. */
  readonly heartbeatMs: number;
}

export const isFinished = (state: JobState): boolean => state === 'succeeded' || state === 'failed' || state === 'cancelled';
