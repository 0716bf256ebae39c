import {
  asOfDayNumber,
  assertEntityId,
  compareEntityIds,
  type Catalog,
  type EntityFeatureRow,
  type FeatureRow,
  type FeatureView,
  type SourceFeatureReader,
} from '@bnpl/feature-definitions';
import { compileViewQuery, type ViewQueryMode } from './compile-view-query';
import { decodeFeatureRow } from './decode-feature-row';

/**
 * Runs one parameterised SQL statement and resolves to its rows. Satisfied by a TypeORM
 * `DataSource.query` as is, and by a pg Pool or Client through `pgQuery`.
 */
export type SqlQueryFn = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Adapts anything with pg's `query(text, values) -> { rows }` (Pool, Client, PoolClient) to SqlQueryFn. */
export function pgQuery(queryable: { query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }> }): SqlQueryFn {
  return async (sql, params) => (await queryable.query(sql, params)).rows;
}

/**
 * SourceFeatureReader over PostgreSQL (and CockroachDB): one SQL query per view per call, compiled from
 * the catalog's definitions (`compileViewQuery`) and cached per view. See the port for the contract.
 */
export class PostgresSourceFeatureReader implements SourceFeatureReader {
  readonly #compiled = new Map<string, Record<ViewQueryMode, string>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly query: SqlQueryFn,
  ) {}

  async readView(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<FeatureRow | null>> {
    const view = this.catalog.getView(viewName);
    entityIds.forEach(assertEntityId);
    asOfDayNumber(asOf);
    if (entityIds.length === 0) return [];
    const unique = [...new Set(entityIds)];
    const rows = await this.query(this.#sql(view, 'ids'), [asOf, unique]);
    const byId = new Map<string, FeatureRow>();
    for (const row of rows) {
      const decoded = decodeFeatureRow(view, row);
      byId.set(decoded.entityId, decoded.features);
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }

  async readViewRange(viewName: string, fromId: string, toId: string, asOf: Date): Promise<EntityFeatureRow[]> {
    const view = this.catalog.getView(viewName);
    assertEntityId(fromId);
    assertEntityId(toId);
    asOfDayNumber(asOf);
    if (compareEntityIds(fromId, toId) > 0) return [];
    const rows = await this.query(this.#sql(view, 'range'), [asOf, fromId, toId]);
    return rows.map((row) => decodeFeatureRow(view, row));
  }

  #sql(view: FeatureView, mode: ViewQueryMode): string {
    let compiled = this.#compiled.get(view.name);
    if (!compiled) {
      compiled = { ids: compileViewQuery(view, 'ids'), range: compileViewQuery(view, 'range') };
      this.#compiled.set(view.name, compiled);
    }
    return compiled[mode];
  }
}
