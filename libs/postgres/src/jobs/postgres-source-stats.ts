import type { ChangeLogCoverage, IdRange, SourceStats } from '@bnpl/batch';
import type { Catalog } from '@bnpl/feature-definitions';
import { quoteIdent } from '../feature-sql/sql-text';
import type { SqlQueryFn } from '../feature-sql/postgres-source-feature-reader';

/**
 * Ranges of `$size` consecutive ids out of the ids a subquery returns (one ordered scan, numbered, grouped
 * by bucket): shards hold the ids that exist, whatever the gaps between them.
 */
const rangesOver = (ids: string, size: string) =>
  `SELECT min(id)::text AS from_id, max(id)::text AS to_id
   FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / ${size} AS bucket FROM (${ids}) ids) numbered
   GROUP BY bucket ORDER BY bucket`;

/** Job planning facts from the source tables and the streaming path's change log (see the SourceStats port). */
export class PostgresSourceStats implements SourceStats {
  constructor(
    private readonly catalog: Catalog,
    private readonly query: SqlQueryFn,
  ) {}

  async idRanges(entity: string, shardSize: number): Promise<IdRange[]> {
    const { table } = this.catalog.getEntity(entity);
    const idColumn = this.catalog.getSource(table).keys[entity];
    return this.#ranges(await this.query(rangesOver(`SELECT ${quoteIdent(idColumn)} AS id FROM ${quoteIdent(table)}`, '$1::bigint'), [shardSize]));
  }

  async changeLogCoverage(): Promise<ChangeLogCoverage | null> {
    const [row] = await this.query(`SELECT since, through FROM feature_change_log WHERE id = 1 AND through IS NOT NULL AND through >= since`, []);
    return row ? { since: new Date(row.since as string), through: new Date(row.through as string) } : null;
  }

  async changedIdRanges(entity: string, views: readonly string[], since: Date, shardSize: number): Promise<IdRange[]> {
    const changed = `SELECT DISTINCT entity_id AS id FROM feature_changes WHERE entity = $1 AND view = ANY($2::text[]) AND changed_at > $3`;
    return this.#ranges(await this.query(rangesOver(changed, '$4::bigint'), [entity, views, since, shardSize]));
  }

  async changedEntityIds(entity: string, views: readonly string[], since: Date, fromId: string, toId: string): Promise<string[]> {
    const rows = await this.query(
      `SELECT DISTINCT entity_id::text AS k, entity_id FROM feature_changes
       WHERE entity = $1 AND view = ANY($2::text[]) AND changed_at > $3 AND entity_id BETWEEN $4::bigint AND $5::bigint
       ORDER BY entity_id`,
      [entity, views, since, fromId, toId],
    );
    return rows.map((r) => r.k as string);
  }

  #ranges(rows: Record<string, unknown>[]): IdRange[] {
    return rows.map((r) => ({ fromId: r.from_id as string, toId: r.to_id as string }));
  }
}
