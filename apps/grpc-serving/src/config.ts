import { join } from 'node:path';
import { z } from 'zod';
import { accessControlEnvSchema, checkAccessControlEnv } from '@bnpl/access-control-nest';
import { dbEnvSchema } from '@bnpl/postgres';
import { checkMessagingEnv, messagingEnvSchema } from '@bnpl/messaging-nest';
import { decisionRecordingEnvSchema } from '@bnpl/decision-records-nest';
import { checkOnlineStoreEnv, l1MaxEntries, onlineStoreEnvSchema } from '@bnpl/online-store-nest';
import { env, loadConfig, telemetryEnvSchema } from '@bnpl/platform';

/** Every environment variable grpc-serving reads, validated at start-up. */
export const grpcServingConfigSchema = z.object({
  HOST: env.host(),
  /** gRPC (FeatureServingService, grpc.health.v1, reflection). */
  GRPC_PORT: env.port(50051),
  /** HTTP: /health/live, /health/ready, /metrics. */
  HTTP_PORT: env.port(3003),
  LOG_LEVEL: env.logLevel(),
  ...telemetryEnvSchema.shape,
  /** The proto/ tree (the workspace's by default; an image copies it beside the app). */
  PROTO_DIR: z.string().default(join(__dirname, '../../../proto')),
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
  ...messagingEnvSchema.shape,
  ...accessControlEnvSchema.shape,
  ...decisionRecordingEnvSchema.shape,
  // The read path serves hot customers from memory: L1 is on by default here (1 s TTL bounds staleness
  // until feature-update events invalidate it).
  ONLINE_STORE_L1_MAX_ENTRIES: l1MaxEntries(200_000),
});

export type GrpcServingConfig = z.infer<typeof grpcServingConfigSchema>;

export function loadGrpcServingConfig(environment: Record<string, string | undefined> = process.env): GrpcServingConfig {
  return loadConfig('grpc-serving', grpcServingConfigSchema, environment, [checkOnlineStoreEnv, checkMessagingEnv, checkAccessControlEnv]);
}
