import { type SourceDatabase } from '@bnpl/db';
import { type ReadinessCheck } from '@bnpl/platform';

/**
 * Ready only when the source database can feed logical replication: `wal_level = logical` and a role
 * allowed to replicate. Says exactly which of the two is missing and how to fix it.
 */
export function logicalReplicationReadiness(db: SourceDatabase): ReadinessCheck {
  return {
    name: 'logical-replication',
    async check() {
      const [row] = await db.query<{ wal_level: string; can_replicate: boolean }>(
        `SELECT current_setting('wal_level') AS wal_level,
                (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS can_replicate`,
      );
      if (row.wal_level !== 'logical') throw new Error(`wal_level is "${row.wal_level}"; set wal_level = logical in postgresql.conf and restart PostgreSQL`);
      if (!row.can_replicate) throw new Error('the database role lacks REPLICATION; ALTER ROLE <user> WITH REPLICATION');
      return { walLevel: row.wal_level };
    },
  };
}
