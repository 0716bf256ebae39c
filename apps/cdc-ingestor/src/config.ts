import { z } from 'zod';
import { dbEnvSchema } from '@bnpl/db';
import { checkOnlineStoreEnv, onlineStoreEnvSchema } from '@bnpl/online-store';
import { env, loadConfig } from '@bnpl/platform';

/** Every environment variable cdc-ingestor reads, validated at start-up. */
export const cdcIngestorConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3002),
  LOG_LEVEL: env.logLevel(),
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
});

export type CdcIngestorConfig = z.infer<typeof cdcIngestorConfigSchema>;

export function loadCdcIngestorConfig(environment: Record<string, string | undefined> = process.env): CdcIngestorConfig {
  return loadConfig('cdc-ingestor', cdcIngestorConfigSchema, environment, [checkOnlineStoreEnv]);
}
