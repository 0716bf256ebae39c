import { Logger } from '@nestjs/common';
import { exponentialBackoff } from '@bnpl/feature-definitions';
import { type DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { type DbOptions } from './db-options';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';

/** Connecting again: 0.5 s, doubling up to 5 s. */
const RECONNECT_BACKOFF = exponentialBackoff({ initialMs: 500, maxMs: 5_000 });

/**
 * The process's connection to the source database.
 *
 * `start()` never blocks or fails a service's start-up: when PostgreSQL is unreachable the service comes
 * up not-ready (its readiness check says why, and one log line says so) and keeps retrying with capped
 * backoff. Until connected, `query` fails at once with DatabaseUnavailableError rather than queueing.
 */
export class SourceDatabase {
  private readonly logger = new Logger('SourceDatabase');
  private dataSource?: DataSource;
  private lastError?: Error;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;
  private connecting?: Promise<void>;

  constructor(private readonly options: DbOptions) {}

  /** Where we connect, without the password, for logs and health output. */
  get target(): string {
    const url = new URL(this.options.url);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  }

  get isConnected(): boolean {
    return this.dataSource?.isInitialized === true;
  }

  /** Connects in the background; resolves after the first attempt, whatever its outcome. */
  start(): Promise<void> {
    return this.attempt(0);
  }

  /** `failures`: earlier attempts that failed; they set the wait before the next one. */
  private attempt(failures: number): Promise<void> {
    if (this.closed || this.connecting) return this.connecting ?? Promise.resolve();
    const dataSource = createDataSource(this.options);
    this.connecting = dataSource
      .initialize()
      .then(() => {
        this.dataSource = dataSource;
        this.lastError = undefined;
        this.logger.log(`connected to ${this.options.type} at ${this.target}`);
        if (this.closed) void dataSource.destroy();
      })
      .catch((error: Error) => {
        const first = this.lastError === undefined;
        this.lastError = error;
        const delay = RECONNECT_BACKOFF(failures);
        if (first) this.logger.error(`${this.options.type} at ${this.target} is unreachable (${error.message}); retrying every ${delay / 1000}s or less`);
        if (!this.closed) this.retryTimer = setTimeout(() => void this.attempt(failures + 1), delay);
      })
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Runs one statement. Rejects with DatabaseUnavailableError when not connected. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.dataSource?.isInitialized) throw new DatabaseUnavailableError(this.target, this.lastError?.message ?? 'not connected yet');
    return this.dataSource.query(sql, params);
  }

  /** Runs `work` in one transaction (committed when it resolves, rolled back when it rejects). */
  async transaction<T>(work: (query: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    return this.orm().transaction((manager) => work((sql, params = []) => manager.query(sql, params)));
  }

  /** The TypeORM DataSource, for repositories inside this lib. */
  orm(): DataSource {
    if (!this.dataSource?.isInitialized) throw new DatabaseUnavailableError(this.target, this.lastError?.message ?? 'not connected yet');
    return this.dataSource;
  }

  /** Readiness details: the kind only (where it connects is logged at connection, never answered). */
  async ping(): Promise<{ kind: string }> {
    await this.query('SELECT 1');
    return { kind: this.options.type };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }
}
