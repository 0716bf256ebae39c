/**
 * The source database cannot feed logical replication as configured (wal_level, privileges, a lost or
 * foreign slot). The message names the fix; the ingestor does not start until it is applied.
 */
export class LogicalReplicationUnavailableError extends Error {
  override readonly name = 'LogicalReplicationUnavailableError';
}
