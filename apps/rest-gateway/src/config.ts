import { z } from 'zod';
import { dbEnvSchema } from '@bnpl/db';
import { checkOnlineStoreEnv, onlineStoreEnvSchema } from '@bnpl/online-store';
import { env, loadConfig } from '@bnpl/platform';

/** Every environment variable rest-gateway reads, validated at start-up. */
export const restGatewayConfigSchema = z.object({
  HOST: env.host(),
  PORT: env.port(3000),
  LOG_LEVEL: env.logLevel(),
  ...dbEnvSchema.shape,
  ...onlineStoreEnvSchema.shape,
});

export type RestGatewayConfig = z.infer<typeof restGatewayConfigSchema>;

export function loadRestGatewayConfig(environment: Record<string, string | undefined> = process.env): RestGatewayConfig {
  return loadConfig('rest-gateway', restGatewayConfigSchema, environment, [checkOnlineStoreEnv]);
}
