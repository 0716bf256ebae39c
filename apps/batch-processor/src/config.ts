import { z } from 'zod';
import { dbEnvSchema } from '@bnpl/postgres';
import { checkOnlineStoreEnv, onlineStoreEnvSchema } from '@bnpl/online-store-nest';
import { checkMessagingEnv, messagingEnvSchema } from '@bnpl/messaging-nest';
import { decisionSinkEnvSchema } from '@bnpl/decision-records-nest';
import { jobsEnvSchema } from '@bnpl/jobs-runtime';
import { checkServerTlsEnv, env, loadConfig, serverTlsEnvSchema, telemetryEnvSchema } from '@bnpl/platform';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { checkScheduleFileEnv } from './schedules/schedule-file';

/** Every environment variable batch-processor reads, validated at start-up. */
export const batchProcessorConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3001),
  LOG_LEVEL: env.logLevel(),
  ...telemetryEnvSchema.shape,
  /** HTTPS (and TLS on grpc-serving's gRPC port) when both are set: PEM certificate (chain) and key files. */
  ...serverTlsEnvSchema.shape,
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
  ...messagingEnvSchema.shape,
  ...decisionSinkEnvSchema.shape,
  // The job files root training sets (and decision training sets) are confined to; the queue's fair window.
  ...jobsEnvSchema.shape,
  /** Entities per source query while materializing. */
  BATCH_CHUNK_SIZE: env.positiveInt(2_000),
  /** Chunks of one shard in flight at once (reads of the next overlap writes of the previous). */
  BATCH_CONCURRENCY: env.positiveInt(2),
  /** Shards this instance runs at once. */
  BATCH_SHARDS_IN_FLIGHT: env.positiveInt(1),
  /** Shards of one job queued and not yet started at most; the rest wait in the jobs table. */
  JOB_QUEUED_SHARDS: env.positiveInt(8),
  /** A queued shard not started for this long while its job makes no progress is queued again (its message was lost). */
  JOB_PICKUP_LEASE_SECONDS: env.positiveInt(300),
  /** A running shard without a heartbeat for this long is taken as dead: queued again and claimable. */
  JOB_HEARTBEAT_LEASE_SECONDS: env.positiveInt(30),
  /** A running job with no progress (a shard started, checkpointed or finished) for this long fails with the reason. */
  JOB_STALL_TIMEOUT_SECONDS: env.positiveInt(1_800),
  /** Where materialization appends feature history: `none`, a DuckDB file, or BigQuery. */
  OFFLINE_STORE: env.oneOf(['none', 'duckdb', 'bigquery'] as const, 'none'),
  /** The DuckDB file (one batch-processor process per file: DuckDB locks it). */
  OFFLINE_STORE_PATH: z.string().min(1).optional(),
  BIGQUERY_PROJECT: z.string().min(1).optional(),
  BIGQUERY_DATASET: z.string().min(1).default('bnpl_features'),
  BIGQUERY_LOCATION: z.string().min(1).optional(),
  /** Scheduled jobs (deploy/job-schedules.json); unset, this instance fires none (in production Cloud Scheduler does). */
  JOB_SCHEDULES_FILE: z.string().min(1).optional(),
  /** Longest wait between two scheduler ticks, ms. */
  SCHEDULER_POLL_MS: env.positiveInt(30_000),
});

function checkOfflineStoreEnv(config: { OFFLINE_STORE: string; OFFLINE_STORE_PATH?: string; BIGQUERY_PROJECT?: string }): Array<{ variable: string; message: string }> {
  if (config.OFFLINE_STORE === 'duckdb' && !config.OFFLINE_STORE_PATH) return [{ variable: 'OFFLINE_STORE_PATH', message: 'is required when OFFLINE_STORE=duckdb' }];
  if (config.OFFLINE_STORE === 'bigquery' && !config.BIGQUERY_PROJECT) return [{ variable: 'BIGQUERY_PROJECT', message: 'is required when OFFLINE_STORE=bigquery' }];
  return [];
}

export type BatchProcessorConfig = z.infer<typeof batchProcessorConfigSchema>;

export function loadBatchProcessorConfig(environment: Record<string, string | undefined> = process.env): BatchProcessorConfig {
  return loadConfig('batch-processor', batchProcessorConfigSchema, environment, [checkOnlineStoreEnv, checkMessagingEnv, checkOfflineStoreEnv, checkScheduleFileEnv(bnplCatalog), checkServerTlsEnv]);
}
