import { z } from 'zod';
import { accessControlEnvSchema, checkAccessControlEnv } from '@bnpl/access-control-nest';
import { dbEnvSchema } from '@bnpl/postgres';
import { readPathEnvSchema } from '@bnpl/serving-runtime';
import { checkOnlineStoreEnv, l1MaxEntries, onlineStoreEnvSchema } from '@bnpl/online-store-nest';
import { checkMessagingEnv, messagingEnvSchema } from '@bnpl/messaging-nest';
import { decisionRecordingEnvSchema, decisionsApiEnvSchema } from '@bnpl/decision-records-nest';
import { jobsEnvSchema } from '@bnpl/jobs-runtime';
import { checkServerTlsEnv, env, loadConfig, serverTlsEnvSchema, telemetryEnvSchema, workersEnvSchema } from '@bnpl/platform';

/** Every environment variable rest-gateway reads, validated at start-up. */
export const restGatewayConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3000),
  LOG_LEVEL: env.logLevel(),
  ...telemetryEnvSchema.shape,
  // Worker processes on the same ports (one per vCPU), each a whole instance of the service.
  ...workersEnvSchema.shape,
  /** HTTPS (and TLS on grpc-serving's gRPC port) when both are set: PEM certificate (chain) and key files. */
  ...serverTlsEnvSchema.shape,
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
  ...readPathEnvSchema.shape,
  ...messagingEnvSchema.shape,
  ...accessControlEnvSchema.shape,
  ...decisionRecordingEnvSchema.shape,
  ...decisionsApiEnvSchema.shape,
  // Job submissions: the job files root training sets are confined to, quotas per principal.
  ...jobsEnvSchema.shape,
  // The read path serves hot customers from memory: L1 is on by default here (1 s TTL bounds staleness
  // until feature-update events invalidate it).
  ONLINE_STORE_L1_MAX_ENTRIES: l1MaxEntries(200_000),
});

export type RestGatewayConfig = z.infer<typeof restGatewayConfigSchema>;

export function loadRestGatewayConfig(environment: Record<string, string | undefined> = process.env): RestGatewayConfig {
  return loadConfig('rest-gateway', restGatewayConfigSchema, environment, [checkOnlineStoreEnv, checkMessagingEnv, checkAccessControlEnv, checkServerTlsEnv]);
}
