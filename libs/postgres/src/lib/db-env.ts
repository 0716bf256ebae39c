import { z } from 'zod';
import { env } from '@bnpl/platform';
import { type DbOptions } from './db-options';

/**
 * The environment variables every service uses to reach the source database. Apps merge this shape into
 * their own schema (so one service's config is validated in one place) and map it with `toDbOptions`.
 */
export const dbEnvSchema = z.object({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_TYPE: env.oneOf(['postgres', 'cockroachdb'] as const, 'postgres'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
});

export function toDbOptions(config: z.infer<typeof dbEnvSchema>, applicationName: string): DbOptions {
  return { type: config.DATABASE_TYPE, url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName };
}
