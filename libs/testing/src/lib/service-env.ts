/** What `serviceEnv` needs of the running dependencies: TestPostgres, RunningRedis and RunningPubSubEmulator fit. */
export interface ServiceDependencies {
  readonly pg: { readonly url: string };
  readonly redis: { readonly url: string };
  /** Leave out for in-process messaging (what `spawnService` defaults to). */
  readonly pubsub?: { readonly projectId: string; readonly host: string };
}

/**
 * The environment an app needs to run on test dependencies: bound to 127.0.0.1, PostgreSQL as the source,
 * Redis as the online store, the Pub/Sub emulator for messaging when given, warn-level logs. Ports and
 * app-specific settings are the caller's to add. Test sources hold hundreds of entities, so jobs may ask
 * for shards of any size here (JOBS_MIN_SHARD_SIZE=1); a suite testing the minimum sets its own.
 */
export function serviceEnv({ pg, redis, pubsub }: ServiceDependencies): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    DATABASE_URL: pg.url,
    ONLINE_STORE: 'redis',
    REDIS_URL: redis.url,
    ...(pubsub ? { MESSAGING: 'pubsub', PUBSUB_PROJECT_ID: pubsub.projectId, PUBSUB_EMULATOR_HOST: pubsub.host } : {}),
    LOG_LEVEL: 'warn',
    JOBS_MIN_SHARD_SIZE: '1',
  };
}
