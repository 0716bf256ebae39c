import type { ChangeLog, RecordedChange } from '@bnpl/cdc';
import type { SqlQueryFn } from '../feature-sql/postgres-source-feature-reader';

/** The change log in `feature_changes` and `feature_change_log` (migration FeatureChangeLog1764800000001); see the ChangeLog port. */
export class PostgresChangeLog implements ChangeLog {
  constructor(private readonly query: SqlQueryFn) {}

  async open(at: Date, gap: boolean): Promise<void> {
    // After a gap the log starts again: its completeness (`through`) starts again with it.
    await this.query(
      `INSERT INTO feature_change_log (id, since, through) VALUES (1, $1, NULL)
       ON CONFLICT (id) DO UPDATE SET since = CASE WHEN $2 THEN GREATEST(feature_change_log.since, $1) ELSE feature_change_log.since END,
                                      through = CASE WHEN $2 THEN NULL ELSE feature_change_log.through END`,
      [at, gap],
    );
  }

  async record(changes: readonly RecordedChange[]): Promise<void> {
    // One row per key per statement (ON CONFLICT may not touch a row twice): the latest time wins here too.
    const latest = new Map<string, RecordedChange>();
    for (const c of changes) {
      const key = `${c.entity}\0${c.entityId}\0${c.view}`;
      const seen = latest.get(key);
      if (!seen || seen.changedAt < c.changedAt) latest.set(key, c);
    }
    if (latest.size === 0) return;
    const rows = [...latest.values()];
    await this.query(
      `INSERT INTO feature_changes (entity, entity_id, view, changed_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[])
       ON CONFLICT (entity, entity_id, view) DO UPDATE SET changed_at = GREATEST(feature_changes.changed_at, EXCLUDED.changed_at)`,
      [rows.map((r) => r.entity), rows.map((r) => r.entityId), rows.map((r) => r.view), rows.map((r) => r.changedAt)],
    );
  }

  async markComplete(through: Date): Promise<void> {
    await this.query(`UPDATE feature_change_log SET through = GREATEST(coalesce(through, since), $1) WHERE id = 1 AND $1 >= since`, [through]);
  }
}
