import { z } from 'zod';
import { dbEnvSchema } from '@bnpl/db';
import { checkOnlineStoreEnv, onlineStoreEnvSchema } from '@bnpl/online-store';
import { env, loadConfig } from '@bnpl/platform';

/** Every environment variable batch-processor reads, validated at start-up. */
export const batchProcessorConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3001),
  LOG_LEVEL: env.logLevel(),
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
});

export type BatchProcessorConfig = z.infer<typeof batchProcessorConfigSchema>;

export function loadBatchProcessorConfig(environment: Record<string, string | undefined> = process.env): BatchProcessorConfig {
  return loadConfig('batch-processor', batchProcessorConfigSchema, environment, [checkOnlineStoreEnv]);
}
