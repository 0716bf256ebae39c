import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log the streaming path keeps for incremental materialization: per entity, view and id, the
 * commit time of the latest source change that affected it (routed from the stream, so deletes, both
 * sides of a move, tables without a timestamp column and writers that leave `updated_at` alone are all
 * there). One row per (entity, id, view), updated in place: the table stays as large as the entities.
 *
 * `feature_change_log` (one row) says how far the log reaches: every change committed from `since` up
 * to `through` is recorded. `since` moves forward when the log has a gap (a new replication slot, a
 * TRUNCATE); incremental runs whose watermark is older than it run in full.
 */
export class FeatureChangeLog1764800000001 implements MigrationInterface {
  name = 'FeatureChangeLog1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS feature_changes (
        entity     text        NOT NULL,
        entity_id  bigint      NOT NULL,
        view       text        NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (entity, entity_id, view)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS feature_changes_changed_idx ON feature_changes (entity, changed_at)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS feature_change_log (
        id      smallint    PRIMARY KEY CHECK (id = 1),
        since   timestamptz NOT NULL,
        through timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS feature_change_log');
    await q.query('DROP TABLE IF EXISTS feature_changes');
  }
}
