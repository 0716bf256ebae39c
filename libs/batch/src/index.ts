// Public API of @bnpl/batch: materialization and job logic over the domain's ports. Pure TypeScript; the
// batch-processor app wires the adapters (PostgreSQL source, Redis online store, offline store, Pub/Sub).
export { materializeRange, type MaterializeRangeDeps, type MaterializeRangeOptions, type RangeProgress } from './materialize/materialize-range';
export type { FeatureHistoryRow, FeatureHistorySink } from './ports/feature-history-sink.port';
export {
  JOB_KINDS,
  isFinished,
  type IdempotencyClaim,
  type Job,
  type JobAdmission,
  type JobKind,
  type JobLeases,
  type JobSpec,
  type JobState,
  type Shard,
  type ShardSpec,
  type ShardState,
  type TrainingSetSpec,
} from './jobs/job.model';
export type { ChangeLogCoverage, IdRange, JobFiles, JobQueue, JobRepository, SourceStats, TrainingSetBuilder } from './jobs/job-ports';
export { DEFAULT_MIN_SHARD_SIZE, DEFAULT_SHARD_SIZE, validateJobRequest, type JobRequest, type JobRequestLimits } from './jobs/job-request';
export { IdempotencyKeyConflictError, InvalidJobRequestError, JobFileRefusedError, JobNotFoundError, JobQuotaExceededError } from './jobs/invalid-job-request.error';
export { planShards, type PlanningFacts } from './jobs/plan-shards';
export { JobService, trainingSetErrorMessage, type JobServiceDeps, type JobServiceOptions, type ShardOutcome } from './jobs/job.service';
export { JobSupervisor, type JobSupervisorOptions, type SupervisionRound } from './jobs/job-supervisor';
export { FEATURE_HISTORY_SINK, JOB_QUEUE, JOB_REPOSITORY, SOURCE_STATS, TRAINING_SET_BUILDER } from './jobs/job.tokens';
