import { z } from 'zod';
import { type GetOnlineFeaturesOptions } from '@bnpl/serving';
import { env } from '@bnpl/platform';

/**
 * The read path's timeouts, as rest-gateway and grpc-serving read them. A read that takes longer than
 * `SERVING_ONLINE_READ_TIMEOUT_MS` is answered from the source instead (and counts towards the online store's
 * breaker); the default keeps a slow Redis from costing the risk engine its budget, and an operator on slower
 * infrastructure (or a test on a loaded machine) can give Redis longer.
 */
export const readPathEnvSchema = z.object({
  SERVING_ONLINE_READ_TIMEOUT_MS: env.positiveInt(100),
  SERVING_SOURCE_READ_TIMEOUT_MS: env.positiveInt(2_000),
});

export type ReadPathEnv = z.infer<typeof readPathEnvSchema>;

/** The read path's options from its settings. */
export function toReadPathOptions(config: ReadPathEnv): Pick<GetOnlineFeaturesOptions, 'onlineStoreTimeoutMs' | 'sourceTimeoutMs'> {
  return { onlineStoreTimeoutMs: config.SERVING_ONLINE_READ_TIMEOUT_MS, sourceTimeoutMs: config.SERVING_SOURCE_READ_TIMEOUT_MS };
}
