import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * The variable through which the jest global setup (tools/jest/global-setup.cjs) hands its PostgreSQL to the
 * test suites: the path of the file in which the server announces itself (a SharedTestPostgresAnnouncement).
 * Set in jest's main process before the workers start, so every worker inherits it. The server starts
 * while the workers load their first suites; a suite that needs it waits for the announcement.
 */
export const TEST_POSTGRES_VARIABLE = 'BNPL_TEST_POSTGRES';

/** The contents of the announcement file: the server's state. */
export type SharedTestPostgresAnnouncement =
  | { readonly state: 'starting'; readonly dataDir: string }
  | { readonly state: 'ready'; readonly dataDir: string; /** The migrated template database. */ readonly templateUrl: string }
  | { readonly state: 'failed'; readonly error: string };

/** Writes the announcement so that no reader sees half of it (a rename replaces the file at once). */
export function writeSharedTestPostgresAnnouncement(file: string, announcement: SharedTestPostgresAnnouncement): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(announcement));
  renameSync(`${file}.tmp`, file);
}

const READY_TIMEOUT_MS = 120_000;

/** Waits until the server announced in `file` is ready; throws its start-up error if it failed. */
async function sharedTemplateUrl(file: string): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    let announcement: SharedTestPostgresAnnouncement | undefined;
    try {
      announcement = JSON.parse(readFileSync(file, 'utf8')) as SharedTestPostgresAnnouncement;
    } catch {
      // Not written yet.
    }
    if (announcement?.state === 'ready') return announcement.templateUrl;
    if (announcement?.state === 'failed') throw new Error(`the shared test PostgreSQL did not start: ${announcement.error}`);
    if (Date.now() > deadline) throw new Error(`the shared test PostgreSQL was not ready after ${READY_TIMEOUT_MS / 1000} s (${file})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A database of its own for one test suite, on the PostgreSQL the test run shares. */
export interface TestDatabase {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Unique in the cluster (`bnpl_test_<hex>`), so also usable as the name of a replication slot. */
  readonly database: string;
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Drops the database: ends its sessions and its replication slots first. The server keeps running. */
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** `true` (default): a copy of the migrated template. `false`: empty, as a fresh cluster's database. */
  migrated?: boolean;
  /** The migrated template's URL; by default the global setup's (announced in the file TEST_POSTGRES_VARIABLE names). */
  templateUrl?: string;
}

/**
 * Creates a fresh database for a test suite on the test run's shared PostgreSQL: a copy of the template
 * the global setup migrated (`CREATE DATABASE … TEMPLATE`, tens of milliseconds), or an empty one. Stop
 * it in afterAll. Suites that stop, restart or kill PostgreSQL, or need server settings of their own,
 * start a server of their own instead (`startEmbeddedPostgres`).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const announced = process.env[TEST_POSTGRES_VARIABLE];
  if (!options.templateUrl && !announced) {
    throw new Error(
      `${TEST_POSTGRES_VARIABLE} is not set: the shared test PostgreSQL is started by the jest global setup of ` +
        'jest.preset.cjs (TEST_KIND=int or e2e); run the suite through a project jest.config.cjs or the root one',
    );
  }
  const templateUrl = options.templateUrl ?? (await sharedTemplateUrl(announced as string));
  const template = new URL(templateUrl);
  const name = `bnpl_test_${randomBytes(6).toString('hex')}`;
  const source = options.migrated === false ? 'template1' : decodeURIComponent(template.pathname.slice(1));
  await withMaintenanceClient(templateUrl, (client) => client.query(`CREATE DATABASE ${quoteName(name)} TEMPLATE ${quoteName(source)}`));
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: name,
    url: url.toString(),
    stop: () => dropDatabase(templateUrl, name),
  };
}

/**
 * Drops database `name` of the server `serverUrl` points at (any database of it), ending the sessions
 * still open after a short wait (WITH (FORCE)); PostgreSQL drops its logical replication slots with it
 * once their walsenders are gone.
 */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withMaintenanceClient(serverUrl, async (client) => {
    // Sessions closing as the suite ends (a pool's idle clients after pool.end()) go by themselves in a
    // moment; ended by FORCE, they would raise an error their client may not listen for.
    const settled = Date.now() + 2_000;
    const sessions = async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0].n;
    while ((await sessions()) > 0 && Date.now() < settled) await new Promise((r) => setTimeout(r, 50));
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteName(name)} WITH (FORCE)`);
        return;
      } catch (error) {
        // A walsender ended by FORCE releases its slot a moment after: the slot is still "active" until then.
        if (!/active logical replication slot|being accessed by other users/.test(String(error)) || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
}

/** Runs `work` on a connection to the server's `postgres` database (the template refuses connections). */
async function withMaintenanceClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
