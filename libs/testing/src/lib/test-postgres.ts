import { Client } from 'pg';
import { migrateDatabase } from '@bnpl/postgres';
import { createTestDatabase, makeTempDir, startEmbeddedPostgres, type RunningPostgres, type TestDatabase } from '@bnpl/service-launchers';

/** A database of one test suite. `stop()` (in afterAll) drops it, or stops its dedicated server. */
export type TestPostgres = TestDatabase;

/** A server of the suite's own: it may stop, restart or kill it. `stop()` also deletes the data directory. */
export type DedicatedTestPostgres = RunningPostgres;

export interface TestPostgresOptions {
  /** `false`: an empty database, as a fresh cluster's. Default: migrated. */
  migrate?: boolean;
  /**
   * A server of the suite's own (fresh data directory, free port, wal_level=logical, no fsync) instead
   * of a database on the run's shared one: for suites that stop, restart or kill PostgreSQL, or need
   * server settings of their own.
   */
  dedicated?: boolean;
}

/**
 * A real PostgreSQL database for one test suite, migrated unless `migrate: false`. By default a fresh
 * database cloned from the template on the PostgreSQL the jest run shares (tools/jest/global-setup.cjs):
 * the suite may do anything inside its database, nothing to the server. Stop it in afterAll.
 */
export function startTestPostgres(options?: TestPostgresOptions & { dedicated?: false }): Promise<TestPostgres>;
export function startTestPostgres(options: TestPostgresOptions & { dedicated: true }): Promise<DedicatedTestPostgres>;
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres | DedicatedTestPostgres> {
  if (!options.dedicated) return createTestDatabase({ migrated: options.migrate !== false });
  const dir = makeTempDir('bnpl-test-pg-');
  let pg: RunningPostgres;
  try {
    pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/data`, durable: false });
  } catch (error) {
    dir.remove();
    throw error;
  }
  if (options.migrate !== false) {
    await migrateDatabase({ type: 'postgres', url: pg.url }).catch(async (error: unknown) => {
      await pg.stop();
      dir.remove();
      throw error;
    });
  }
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
