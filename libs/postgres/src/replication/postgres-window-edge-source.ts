import type { WindowEdge, WindowEdgeSource } from '@bnpl/cdc';
import { quoteIdent } from '../feature-sql/sql-text';
import { type SourceDatabase } from '../lib/source-database';

/**
 * WindowEdgeSource over PostgreSQL: one DISTINCT query per edge. The `(key, time)` indexes do not serve a
 * date-only filter, so this is a sequential scan of the source table: it runs once a day, with its own
 * statement timeout rather than the read path's.
 */
export class PostgresWindowEdgeSource implements WindowEdgeSource {
  constructor(
    private readonly db: SourceDatabase,
    private readonly statementTimeoutMs = 600_000,
  ) {}

  async entitiesOnEdge(edge: WindowEdge): Promise<string[]> {
    const column = `t.${quoteIdent(edge.timeColumn)}`;
    const day = edge.columnType === 'DATE' ? column : `(${column} AT TIME ZONE 'UTC')::date`;
    const sql = `SELECT DISTINCT t.${quoteIdent(edge.keyColumn)}::text AS id FROM ${quoteIdent(edge.table)} t WHERE ${day} = ANY($1::date[]) AND t.${quoteIdent(edge.keyColumn)} IS NOT NULL`;
    const rows = await this.db.transaction(async (query) => {
      await query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.statementTimeoutMs))}`);
      return query<{ id: string }>(sql, [edge.dates]);
    });
    return rows.map((row) => row.id);
  }
}
