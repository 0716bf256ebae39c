import { z } from 'zod';
import { dbEnvSchema } from '@bnpl/postgres';
import { checkMessagingEnv, messagingEnvSchema } from '@bnpl/messaging-nest';
import { checkOnlineStoreEnv, onlineStoreEnvSchema } from '@bnpl/online-store-nest';
import { checkServerTlsEnv, env, loadConfig, serverTlsEnvSchema, telemetryEnvSchema } from '@bnpl/platform';

const pgName = (defaultValue: string) =>
  z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL name: lower-case letters, digits and _, at most 63, not starting with a digit')
    .default(defaultValue);

/** `entity=ms` pairs, comma-separated (`merchant=1000`), or `none`. */
const laneIntervals = z
  .string()
  .regex(/^(?:none|[a-z_][a-z0-9_]*=\d{1,5}(?:,[a-z_][a-z0-9_]*=\d{1,5})*)$/, 'must be entity=ms pairs separated by commas (e.g. merchant=1000), ms at most 99999, or none')
  .default('merchant=1000')
  .transform((text): Record<string, number> => (text === 'none' ? {} : Object.fromEntries(text.split(',').map((pair) => pair.split('=')).map(([entity, ms]) => [entity, Number(ms)]))));

/** Every environment variable cdc-ingestor reads, validated at start-up. */
export const cdcIngestorConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3002),
  LOG_LEVEL: env.logLevel(),
  ...telemetryEnvSchema.shape,
  /** HTTPS (and TLS on grpc-serving's gRPC port) when both are set: PEM certificate (chain) and key files. */
  ...serverTlsEnvSchema.shape,
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
  ...messagingEnvSchema.shape,
  /** The logical replication slot (pgoutput); created when missing. One ingestor streams a slot at a time. */
  CDC_SLOT_NAME: pgName('bnpl_features'),
  /** The publication of the source tables; created (or completed) when missing. */
  CDC_PUBLICATION: pgName('bnpl_features'),
  /** Readiness fails above this much WAL not yet applied and acknowledged. */
  CDC_MAX_LAG_BYTES: env.positiveInt(256 * 1024 * 1024),
  /** Readiness fails when the oldest transaction received and not yet applied is older than this. */
  CDC_MAX_LAG_SECONDS: env.positiveInt(30),
  /** Transactions applied together (one source query per view and one store write for all). */
  CDC_BATCH_MAX_TRANSACTIONS: env.positiveInt(500),
  /** Transactions received and not yet applied before the stream is paused. */
  CDC_MAX_PENDING_TRANSACTIONS: env.positiveInt(5_000),
  /**
   * Per entity kind, the least ms between two batches of its lane while less than a full batch is
   * pending: a merchant's views read every order of 90 days, and recomputing a busy merchant back to back
   * kept most of a core of PostgreSQL busy at 70 purchases/s (README, "CDC freshness").
   */
  CDC_LANE_INTERVAL_MS: laneIntervals,
  /**
   * `on`: every recomputed row also goes to the offline store's history (published on
   * bnpl.features.history, written there by a batch-processor with an offline store); `off`: the online
   * store only.
   */
  CDC_HISTORY: env.oneOf(['on', 'off'] as const, 'on'),
  /** `on`: keep the change log (table feature_changes) that incremental materializations are planned from. */
  CDC_CHANGE_LOG: env.oneOf(['on', 'off'] as const, 'on'),
});

export type CdcIngestorConfig = z.infer<typeof cdcIngestorConfigSchema>;

export function loadCdcIngestorConfig(environment: Record<string, string | undefined> = process.env): CdcIngestorConfig {
  return loadConfig('cdc-ingestor', cdcIngestorConfigSchema, environment, [checkOnlineStoreEnv, checkMessagingEnv, checkServerTlsEnv]);
}
