import { runSql } from './test-postgres';
import { waitFor } from './wait-for';

/**
 * Waits until replication slot `slot` has confirmed every byte of WAL written so far (the consumer has
 * caught up with what was committed before the call), polling every `intervalMs`.
 */
export async function waitForSlotCaughtUp(url: string, slot: string, timeoutMs = 60_000, intervalMs = 50): Promise<void> {
  const [{ lsn }] = await runSql(url, `SELECT pg_current_wal_insert_lsn()::text AS lsn`);
  await waitFor(
    `replication slot ${slot} to confirm ${String(lsn)}`,
    async () => {
      const [row] = await runSql(url, `SELECT confirmed_flush_lsn >= '${String(lsn)}'::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = '${slot.replace(/'/g, "''")}'`);
      return row?.done === true ? true : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}
