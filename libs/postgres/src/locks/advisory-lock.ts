import { createHash } from 'node:crypto';
import type { SourceDatabase } from '../lib/source-database';

export type SqlInTransaction = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;
export type AdvisoryLockOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * A stable 64-bit advisory lock key for a name: the first 8 bytes of its SHA-256, as a signed decimal (the
 * `bigint` PostgreSQL takes). Find a held lock with `SELECT * FROM pg_locks WHERE locktype = 'advisory'`
 * (`classid` and `objid` are its high and low 32 bits).
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `work` in one transaction that holds a transaction-level advisory lock, taken without waiting
 * (`pg_try_advisory_xact_lock`): when another session holds it, resolves `{ acquired: false }` at once and
 * `work` does not run. The lock goes with the transaction (commit, rollback, or the session dying), so a
 * holder that crashes never keeps it. `work`'s statements are committed when it resolves and rolled back
 * when it rejects.
 */
export function withTryAdvisoryXactLock<T>(db: SourceDatabase, key: string, work: (query: SqlInTransaction) => Promise<T>): Promise<AdvisoryLockOutcome<T>> {
  return db.transaction(async (query): Promise<AdvisoryLockOutcome<T>> => {
    const [{ locked }] = await query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [key]);
    if (!locked) return { acquired: false };
    return { acquired: true, value: await work(query) };
  });
}
