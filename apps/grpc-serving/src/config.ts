import { join } from 'node:path';
import { z } from 'zod';
import { accessControlEnvSchema, checkAccessControlEnv } from '@bnpl/access-control-nest';
import { dbEnvSchema } from '@bnpl/postgres';
import { checkMessagingEnv, messagingEnvSchema } from '@bnpl/messaging-nest';
import { decisionRecordingEnvSchema } from '@bnpl/decision-records-nest';
import { readPathEnvSchema } from '@bnpl/serving-runtime';
import { checkOnlineStoreEnv, l1MaxEntries, onlineStoreEnvSchema } from '@bnpl/online-store-nest';
import { caFileProblems, checkServerTlsEnv, env, loadConfig, serverTlsEnvSchema, telemetryEnvSchema, type TlsProblem, workersEnvSchema } from '@bnpl/platform';

/** Every environment variable grpc-serving reads, validated at start-up. */
export const grpcServingConfigSchema = z.object({
  HOST: env.host(),
  /** gRPC (FeatureServingService, grpc.health.v1, reflection). */
  GRPC_PORT: env.port(50051),
  /** HTTP: /health/live, /health/ready, /metrics. */
  HTTP_PORT: env.port(3003),
  LOG_LEVEL: env.logLevel(),
  ...telemetryEnvSchema.shape,
  // Worker processes on the same ports (one per vCPU), each a whole instance of the service.
  ...workersEnvSchema.shape,
  /** HTTPS (and TLS on grpc-serving's gRPC port) when both are set: PEM certificate (chain) and key files. */
  ...serverTlsEnvSchema.shape,
  /**
   * Mutual TLS on the gRPC port: PEM CA certificates that sign the clients' certificates. When set, a call
   * without a certificate signed by one of them is refused in the handshake. Needs TLS_CERT_FILE.
   */
  GRPC_CLIENT_CA_FILE: z.string().optional(),
  /** The proto/ tree (the workspace's by default; an image copies it beside the app). */
  PROTO_DIR: z.string().default(join(__dirname, '../../../proto')),
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
  ...readPathEnvSchema.shape,
  ...messagingEnvSchema.shape,
  ...accessControlEnvSchema.shape,
  ...decisionRecordingEnvSchema.shape,
  // The read path serves hot customers from memory: L1 is on by default here (1 s TTL bounds staleness
  // until feature-update events invalidate it).
  ONLINE_STORE_L1_MAX_ENTRIES: l1MaxEntries(200_000),
});

export type GrpcServingConfig = z.infer<typeof grpcServingConfigSchema>;

export function loadGrpcServingConfig(environment: Record<string, string | undefined> = process.env): GrpcServingConfig {
  return loadConfig('grpc-serving', grpcServingConfigSchema, environment, [checkOnlineStoreEnv, checkMessagingEnv, checkAccessControlEnv, checkServerTlsEnv, checkGrpcTlsEnv]);
}

/** Mutual TLS needs the server's own certificate, and a readable CA file. */
export function checkGrpcTlsEnv(config: Pick<GrpcServingConfig, 'GRPC_CLIENT_CA_FILE' | 'TLS_CERT_FILE'>): TlsProblem[] {
  if (config.GRPC_CLIENT_CA_FILE === undefined) return [];
  if (config.TLS_CERT_FILE === undefined) return [{ variable: 'GRPC_CLIENT_CA_FILE', message: 'needs TLS_CERT_FILE and TLS_KEY_FILE (mutual TLS is TLS first)' }];
  return caFileProblems('GRPC_CLIENT_CA_FILE', config.GRPC_CLIENT_CA_FILE);
}
