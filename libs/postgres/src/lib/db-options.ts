import { type PgTlsOptions } from './pg-tls';

/** How to reach the source database. Libs never read the environment: apps build this from their config. */
export interface DbOptions {
  /** `postgres` now; `cockroachdb` speaks the same wire protocol and runs the same migrations. */
  type: 'postgres' | 'cockroachdb';
  /** postgres://user:password@host:port/database, optionally with `?sslmode=…&sslrootcert=…` (see pg-tls.ts). */
  url: string;
  /** TLS to the server (toDbOptions resolves it from the URL and settings); from the URL's sslmode when absent. */
  tls?: PgTlsOptions;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity, so an SRE can tell the services' connections apart. */
  applicationName?: string;
  /** Connect timeout (default 2000 ms): a dead database must cost a bounded wait, never a hang. */
  connectTimeoutMs?: number;
  /** Per-statement timeout on the server (default 10 s; batch jobs raise it). */
  statementTimeoutMs?: number;
}
