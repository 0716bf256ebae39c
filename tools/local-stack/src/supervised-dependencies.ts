import { startEmbeddedPostgres, startRedisServer, type EmbeddedPostgresOptions, type RunningPostgres, type RunningRedis } from '@bnpl/service-launchers';
import { portInstance, Supervisor, type Backoff } from './supervisor';

/**
 * redis-server kept running: restarted on the same port when it stops (as after a crash; without
 * persistence it comes back empty, which batch-processor notices and rebuilds). Resolves once the first
 * one runs.
 */
export async function superviseRedis(log: (line: string) => void, backoff?: Backoff): Promise<{ redis: RunningRedis; supervisor: Supervisor }> {
  const first = await startRedisServer();
  let next: RunningRedis | null = first;
  const supervisor = new Supervisor(
    'redis-server',
    async () => {
      const redis = next ?? (await startRedisServer({ port: first.port }));
      next = null;
      return portInstance(redis.port, () => redis.stop());
    },
    log,
    backoff,
  );
  await supervisor.start();
  return { redis: first, supervisor };
}

/**
 * PostgreSQL kept running: restarted on the same port and data directory when it stops (a crash runs WAL
 * recovery on the next start, as in production). `started` is the first server, already running.
 */
export async function supervisePostgres(
  started: RunningPostgres,
  options: Omit<EmbeddedPostgresOptions, 'port' | 'dataDir'>,
  log: (line: string) => void,
  backoff?: Backoff,
): Promise<{ supervisor: Supervisor; current: () => RunningPostgres }> {
  let current = started;
  let next: RunningPostgres | null = started;
  const supervisor = new Supervisor(
    'postgresql',
    async () => {
      const pg = next ?? (await startEmbeddedPostgres({ ...options, dataDir: started.dataDir, port: started.port }));
      next = null;
      current = pg;
      return portInstance(pg.port, () => pg.stop());
    },
    log,
    backoff,
  );
  await supervisor.start();
  return { supervisor, current: () => current };
}
