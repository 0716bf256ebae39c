import { Client } from 'pg';
import { migrateDatabase } from '@bnpl/db';
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres } from '@bnpl/service-launchers';

export interface TestPostgres extends RunningPostgres {
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for one test suite: fresh data directory, a free port, wal_level=logical, no fsync,
 * migrations applied unless `migrate: false`. Stop it in afterAll.
 */
export async function startTestPostgres(options: { migrate?: boolean } = {}): Promise<TestPostgres> {
  const dir = makeTempDir('bnpl-test-pg-');
  let pg: RunningPostgres;
  try {
    pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/data`, durable: false });
  } catch (error) {
    dir.remove();
    throw error;
  }
  if (options.migrate !== false) await migrateDatabase({ type: 'postgres', url: pg.url });
  return {
    ...pg,
    stop: async () => {
      await pg.stop();
      dir.remove();
    },
  };
}

/** Runs SQL statements on `url` (one short-lived connection): for arranging test data. */
export async function runSql(url: string, ...statements: string[]): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    let rows: Array<Record<string, unknown>> = [];
    for (const statement of statements) rows = (await client.query(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}
