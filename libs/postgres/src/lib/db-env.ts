import { z } from 'zod';
import { ConfigError, env } from '@bnpl/platform';
import { type DbOptions } from './db-options';
import { resolvePgTls, SSL_MODES } from './pg-tls';

/**
 * The environment variables every service uses to reach the source database. Apps merge this shape into
 * their own schema (so one service's config is validated in one place) and map it with `toDbOptions`.
 */
export const dbEnvSchema = z.object({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_TYPE: env.oneOf(['postgres', 'cockroachdb'] as const, 'postgres'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  /** TLS to the database, libpq's sslmode values (see pg-tls.ts); default: the URL's `sslmode`, else disable. */
  DATABASE_SSL_MODE: z.enum(SSL_MODES, { error: `must be one of: ${SSL_MODES.join(', ')}` }).optional(),
  /** PEM CA certificates the database server's certificate must chain to (a private CA; required by verify-ca). */
  DATABASE_CA_FILE: z.string().optional(),
});

/**
 * The DbOptions of a service; throws a ConfigError naming the variable when the TLS settings are bad
 * (an unreadable CA file, a mode that contradicts the URL's), so the service stops at start-up.
 */
export function toDbOptions(config: z.infer<typeof dbEnvSchema>, applicationName: string): DbOptions {
  const resolved = resolvePgTls(config.DATABASE_URL, { mode: config.DATABASE_SSL_MODE, caFile: config.DATABASE_CA_FILE });
  if (!resolved.tls) throw new ConfigError(applicationName, resolved.problems);
  return { type: config.DATABASE_TYPE, url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName, tls: resolved.tls };
}
