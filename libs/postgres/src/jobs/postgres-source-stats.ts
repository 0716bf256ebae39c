import type { SourceStats } from '@bnpl/batch';
import type { Catalog } from '@bnpl/feature-definitions';
import { quoteIdent } from '../feature-sql/sql-text';
import type { SqlQueryFn } from '../feature-sql/postgres-source-feature-reader';

/** Id bounds and change tracking of the source tables, for job planning; see the SourceStats port. */
export class PostgresSourceStats implements SourceStats {
  readonly #changedSql = new Map<string, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly query: SqlQueryFn,
  ) {}

  async maxEntityId(entity: string): Promise<string> {
    const { table } = this.catalog.getEntity(entity);
    const idColumn = this.catalog.getSource(table).keys[entity];
    const [row] = await this.query(`SELECT coalesce(max(${quoteIdent(idColumn)}), 0)::text AS max FROM ${quoteIdent(table)}`, []);
    return row.max as string;
  }

  async changedEntityIds(entity: string, views: readonly string[], since: Date, fromId: string, toId: string): Promise<string[]> {
    const rows = await this.query(this.#changedQuery(entity, views), [since, fromId, toId]);
    return rows.map((r) => r.k as string);
  }

  /**
   * One UNION over the entity's table and every source the views read, each filtered by the entity's id
   * range (an index range scan) and its changed-at column.
   */
  #changedQuery(entity: string, views: readonly string[]): string {
    const key = `${entity}\0${[...views].sort().join(',')}`;
    const cached = this.#changedSql.get(key);
    if (cached) return cached;
    const sources = new Set<string>([this.catalog.getEntity(entity).table]);
    for (const v of views) for (const s of this.catalog.getView(v).plan.sources) sources.add(s.source.name);
    const parts = [...sources].map((name) => {
      const source = this.catalog.getSource(name);
      const idColumn = source.keys[entity];
      if (!source.changedAtColumn) throw new Error(`source ${name} has no changedAtColumn: incremental materialization cannot track it`);
      return `SELECT ${quoteIdent(idColumn)} AS k FROM ${quoteIdent(name)} WHERE ${quoteIdent(idColumn)} BETWEEN $2::bigint AND $3::bigint AND ${quoteIdent(source.changedAtColumn)} > $1::timestamptz`;
    });
    const sql = `SELECT k::text AS k FROM (${parts.join('\n  UNION\n  ')}) changed ORDER BY k`;
    this.#changedSql.set(key, sql);
    return sql;
  }
}
