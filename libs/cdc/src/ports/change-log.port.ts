/** One entity's view changed by a source transaction committed at `changedAt`. */
export interface RecordedChange {
  readonly entity: string;
  readonly view: string;
  readonly entityId: string;
  readonly changedAt: Date;
}

/**
 * The record of which entities' views the source changed, and when, kept by the streaming path for
 * incremental materializations (PostgreSQL: the `feature_changes` table). Because it comes from the
 * stream, it holds what timestamp columns cannot tell: deletes, both sides of a row moving between
 * entities, tables without such a column, writers that leave it alone.
 *
 * Contract: `record` is idempotent and keeps the latest time per (entity, view, id); `markComplete`
 * never moves back; `open` with `gap` (a new replication slot, a TRUNCATE) says the log is complete only
 * from `at` on, so that runs whose watermark is older go in full.
 */
export interface ChangeLog {
  /** At start (and after a gap): the log is complete from `at` on (created then when absent). */
  open(at: Date, gap: boolean): Promise<void>;
  record(changes: readonly RecordedChange[]): Promise<void>;
  /** Every change committed before `through` is recorded. */
  markComplete(through: Date): Promise<void>;
}

/** Injection token of the ChangeLog port. */
export const CHANGE_LOG = Symbol('CHANGE_LOG');
