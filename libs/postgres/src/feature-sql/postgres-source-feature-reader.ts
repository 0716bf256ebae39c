import {
  asOfDayNumber,
  assertEntityId,
  compareEntityIds,
  type Catalog,
  type EntityFeatureRow,
  type FeatureRow,
  type FeatureView,
  type PointInTimeSourceReader,
  type SourceFeatureReader,
} from '@bnpl/feature-definitions';
import { compileViewQuery, compileViewsQuery, type CompiledViewsQuery, type ViewQueryMode } from './compile-view-query';
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

type CompiledView = Record<ViewQueryMode | 'idsAt' | 'rangeAt', string>;

/**
 * SourceFeatureReader over PostgreSQL (and CockroachDB): one SQL query per view per call, compiled from
 * the catalog's definitions (`compileViewQuery`) and cached per view; `readViewsRange` runs one query for
 * several views of an entity (`compileViewsQuery`). See the port for the contract.
 * Also the PointInTimeSourceReader of backfills: the same queries compiled for a past instant.
 */
export class PostgresSourceFeatureReader implements SourceFeatureReader, PointInTimeSourceReader {
  readonly #compiled = new Map<string, CompiledView>();
  /** Per (point in time or not, view names): the views' combined range query. */
  readonly #compiledSets = new Map<string, CompiledViewsQuery>();

  constructor(
    private readonly catalog: Catalog,
    private readonly query: SqlQueryFn,
  ) {}

  readView(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<FeatureRow | null>> {
    return this.#readIds(viewName, entityIds, asOf, 'ids');
  }

  readViewRange(viewName: string, fromId: string, toId: string, asOf: Date): Promise<EntityFeatureRow[]> {
    return this.#readRange(viewName, fromId, toId, asOf, 'range');
  }

  readViewAt(viewName: string, entityIds: readonly string[], instant: Date): Promise<Array<FeatureRow | null>> {
    return this.#readIds(viewName, entityIds, instant, 'idsAt');
  }

  readViewRangeAt(viewName: string, fromId: string, toId: string, instant: Date): Promise<EntityFeatureRow[]> {
    return this.#readRange(viewName, fromId, toId, instant, 'rangeAt');
  }

  /** One query for all `viewNames` (`compileViewsQuery`): each source table is scanned once for them all. */
  readViewsRange(viewNames: readonly string[], fromId: string, toId: string, asOf: Date): Promise<EntityFeatureRow[][]> {
    return this.#readViewsRange(viewNames, fromId, toId, asOf, false);
  }

  readViewsRangeAt(viewNames: readonly string[], fromId: string, toId: string, instant: Date): Promise<EntityFeatureRow[][]> {
    return this.#readViewsRange(viewNames, fromId, toId, instant, true);
  }

  async #readViewsRange(viewNames: readonly string[], fromId: string, toId: string, asOf: Date, pointInTime: boolean): Promise<EntityFeatureRow[][]> {
    const views = viewNames.map((name) => this.catalog.getView(name));
    assertEntityId(fromId);
    assertEntityId(toId);
    asOfDayNumber(asOf);
    const key = `${pointInTime ? 'at' : 'now'}:${viewNames.join(',')}`;
    let compiled = this.#compiledSets.get(key);
    // compileViewsQuery refuses an empty list or views of several entities (RangeError).
    if (!compiled) this.#compiledSets.set(key, (compiled = compileViewsQuery(views, 'range', { pointInTime })));
    if (compareEntityIds(fromId, toId) > 0) return views.map(() => []);
    const rows = await this.query(compiled.sql, [asOf, fromId, toId]);
    const { columns } = compiled;
    return views.map((view, v) => rows.map((row) => decodeFeatureRow(view, row, columns[v])));
  }

  async #readIds(viewName: string, entityIds: readonly string[], asOf: Date, mode: 'ids' | 'idsAt'): Promise<Array<FeatureRow | null>> {
    const view = this.catalog.getView(viewName);
    entityIds.forEach(assertEntityId);
    asOfDayNumber(asOf);
    if (entityIds.length === 0) return [];
    const unique = [...new Set(entityIds)];
    const rows = await this.query(this.#sql(view, mode), [asOf, unique]);
    const byId = new Map<string, FeatureRow>();
    for (const row of rows) {
      const decoded = decodeFeatureRow(view, row);
      byId.set(decoded.entityId, decoded.features);
    }
    return entityIds.map((id) => byId.get(id) ?? null);
  }

  async #readRange(viewName: string, fromId: string, toId: string, asOf: Date, mode: 'range' | 'rangeAt'): Promise<EntityFeatureRow[]> {
    const view = this.catalog.getView(viewName);
    assertEntityId(fromId);
    assertEntityId(toId);
    asOfDayNumber(asOf);
    if (compareEntityIds(fromId, toId) > 0) return [];
    const rows = await this.query(this.#sql(view, mode), [asOf, fromId, toId]);
    return rows.map((row) => decodeFeatureRow(view, row));
  }

  #sql(view: FeatureView, mode: keyof CompiledView): string {
    let compiled = this.#compiled.get(view.name);
    if (!compiled) {
      compiled = {
        ids: compileViewQuery(view, 'ids'),
        range: compileViewQuery(view, 'range'),
        idsAt: compileViewQuery(view, 'ids', { pointInTime: true }),
        rangeAt: compileViewQuery(view, 'range', { pointInTime: true }),
      };
      this.#compiled.set(view.name, compiled);
    }
    return compiled[mode];
  }
}
