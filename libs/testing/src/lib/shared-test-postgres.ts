import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { migrateDatabase } from '@bnpl/postgres';
import { makeTempDir, startEmbeddedPostgres, writeSharedTestPostgresAnnouncement, type RunningPostgres } from '@bnpl/service-launchers';

/** The migrated database every suite's database is copied from. It refuses connections, so copies never wait. */
const TEMPLATE = 'bnpl_template';

/**
 * The PostgreSQL one jest run shares (int and e2e), run as a process of its own by the jest global setup
 * (tools/jest/global-setup.cjs): starts a server on a free port with a fresh data directory, migrates
 * the template database and announces it in `announcementFile` (see TEST_POSTGRES_VARIABLE); then stops
 * the server and deletes the directory and the file when its standard input closes (the teardown closes
 * it; so does jest dying, however it dies) or on SIGTERM/SIGINT/SIGHUP. Being a process of its own, the
 * server cannot outlive an interrupted run.
 */
export async function serveSharedTestPostgres(announcementFile: string): Promise<void> {
  const dir = makeTempDir('bnpl-test-pg-shared-');
  const dataDir = `${dir.path}/data`;
  writeSharedTestPostgresAnnouncement(announcementFile, { state: 'starting', dataDir });
  const starting = startEmbeddedPostgres({ dataDir, durable: false, database: TEMPLATE });
  let stopping: Promise<void> | undefined;
  const shutdown = (code: number) =>
    (stopping ??= (async () => {
      // A request to stop during start-up waits for the server, so that it is stopped, not orphaned.
      const pg = await starting.catch(() => undefined);
      await pg?.stop();
      dir.remove();
      // A failure stays announced: the suites still waiting read it (the teardown deletes the file).
      if (code === 0) rmSync(announcementFile, { force: true });
      process.exit(code);
    })());
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.on('close', () => void shutdown(0));
  process.stdin.resume();
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  // Once jest is gone, writing to it fails (EPIPE); nothing may keep the clean-up from finishing.
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', () => void shutdown(1));
  process.on('unhandledRejection', () => void shutdown(1));

  try {
    const pg = await starting;
    await migrateDatabase({ type: 'postgres', url: pg.url });
    await markTemplate(pg);
    if (!stopping) writeSharedTestPostgresAnnouncement(announcementFile, { state: 'ready', dataDir, templateUrl: pg.url });
  } catch (error) {
    // A failure caused by stopping during start-up is no news to anyone.
    if (!stopping) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      writeSharedTestPostgresAnnouncement(announcementFile, { state: 'failed', error: message });
      process.stderr.write(`the shared test PostgreSQL did not start: ${message}\n`);
    }
    await shutdown(1);
  }
}

async function markTemplate(pg: RunningPostgres): Promise<void> {
  const client = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await client.end();
  }
}
