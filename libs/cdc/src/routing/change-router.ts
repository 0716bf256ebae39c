import { columnsViewReads, isValidEntityId, type Catalog, type FeatureView } from '@bnpl/feature-definitions';
import type { SourceChange } from '../ports/change-feed.port';

/** Why a change, or part of it, was not used. Each is counted; none stops the stream. */
export type SkipReason =
  /** A table the catalog declares no source for. */
  | 'unknown_table'
  /** A column the source descriptor does not declare: ignored, the rest of the row is used. */
  | 'unknown_column'
  /** The row lacks the column that says which entity it belongs to (e.g. an old row without REPLICA IDENTITY FULL). */
  | 'missing_key'
  /** The key column holds something that is not an entity id. */
  | 'invalid_key'
  /** A TRUNCATE: every entity may be affected; only a rebuild from a batch materialization repairs it. */
  | 'truncate';

/** The views to recompute for each entity, accumulated over changes, with when each was last changed. */
export class AffectedEntities {
  /** entity -> view -> id -> commit time (epoch ms) of the latest change routed to it, or NaN when untimed */
  private readonly byEntity = new Map<string, Map<string, Map<string, number>>>();
  /** Calls of `add` that were kept: a caller tells whether a change reached anything by comparing. */
  additions = 0;

  /** @param only when given, the one entity kept: changes routed to others are ignored (an ingest lane's share). */
  constructor(private readonly only?: string) {}

  /** `at`: the commit time of the change (the latest one is kept per entity and view). */
  add(entity: string, views: readonly string[], id: string, at?: Date): void {
    if (this.only !== undefined && entity !== this.only) return;
    this.additions++;
    let byView = this.byEntity.get(entity);
    if (!byView) this.byEntity.set(entity, (byView = new Map()));
    const ms = at ? at.getTime() : Number.NaN;
    for (const view of views) {
      let ids = byView.get(view);
      if (!ids) byView.set(view, (ids = new Map()));
      const seen = ids.get(id);
      if (seen === undefined || Number.isNaN(seen) || ms > seen) ids.set(id, ms);
    }
  }

  /** The commit time of the latest change routed to the entity's view, when the changes had one. */
  changedAt(entity: string, view: string, id: string): Date | undefined {
    const ms = this.byEntity.get(entity)?.get(view)?.get(id);
    return ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms);
  }

  /** Every (entity, view, id) with the commit time of its latest change (untimed changes left out). */
  changes(): Array<{ entity: string; view: string; entityId: string; changedAt: Date }> {
    const out: Array<{ entity: string; view: string; entityId: string; changedAt: Date }> = [];
    for (const [entity, byView] of this.byEntity) {
      for (const [view, ids] of byView) for (const [entityId, ms] of ids) if (!Number.isNaN(ms)) out.push({ entity, view, entityId, changedAt: new Date(ms) });
    }
    return out;
  }

  get isEmpty(): boolean {
    return this.byEntity.size === 0;
  }

  /** Per entity, per view, the ids to recompute (ids in insertion order). */
  entries(): Array<{ entity: string; views: Array<{ view: string; ids: string[] }> }> {
    return [...this.byEntity].map(([entity, byView]) => ({ entity, views: [...byView].map(([view, ids]) => ({ view, ids: [...ids.keys()] })) }));
  }

  /** Every id of `entity` named by any view. */
  idsOf(entity: string): string[] {
    const ids = new Set<string>();
    for (const viewIds of this.byEntity.get(entity)?.values() ?? []) for (const id of viewIds.keys()) ids.add(id);
    return [...ids];
  }
}

/** One way a table's rows reach an entity's views: through `keyColumn`. */
interface Route {
  readonly entity: string;
  readonly keyColumn: string;
  readonly views: readonly string[];
  /** Per view, the columns of the table it reads: an update that changes none of them leaves it alone. */
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
}

function readsAny(reads: ReadonlySet<string> | undefined, changed: ReadonlySet<string>): boolean {
  for (const column of reads ?? []) if (changed.has(column)) return true;
  return false;
}

/**
 * The columns an update changed, when its old row is whole (REPLICA IDENTITY FULL); undefined when that
 * cannot be told (an insert, a delete, or an old row with the key only), meaning "any".
 */
function changedColumns(change: SourceChange): Set<string> | undefined {
  const { oldRow, newRow } = change;
  if (change.op !== 'update' || !oldRow || !newRow) return undefined;
  for (const column of Object.keys(newRow)) if (!(column in oldRow)) return undefined;
  const changed = new Set<string>();
  for (const column of Object.keys(newRow)) {
    const before = oldRow[column];
    const after = newRow[column];
    const same = before === after || (before instanceof Date && after instanceof Date && before.getTime() === after.getTime());
    if (!same) changed.add(column);
  }
  return changed;
}

export interface SkipListener {
  (reason: SkipReason, table: string, detail?: string): void;
}

/**
 * Maps source row changes to the entities and views they affect, from the catalog alone: a view depends
 * on its entity's own table (attributes, ages and the currency of money values) and on every table its
 * aggregates read, through the column that holds the view's entity id there. An update or delete routes
 * through both the old and the new row, so a row that moves from one customer to another recomputes both.
 * An update whose old row is whole reaches only the views that read a column it changed: a new credit
 * limit recomputes the exposure alone, a touched `updated_at` nothing.
 */
export class ChangeRouter {
  private readonly routes = new Map<string, Route[]>();
  private readonly knownColumns = new Map<string, ReadonlySet<string>>();

  constructor(catalog: Catalog) {
    const grouped = new Map<string, { table: string; entity: string; keyColumn: string; views: string[]; reads: Map<string, ReadonlySet<string>> }>();
    const depend = (table: string, entity: string, keyColumn: string, view: FeatureView) => {
      const key = `${table}\u0000${entity}\u0000${keyColumn}`;
      let route = grouped.get(key);
      if (!route) grouped.set(key, (route = { table, entity, keyColumn, views: [], reads: new Map() }));
      if (!route.views.includes(view.name)) route.views.push(view.name);
      route.reads.set(view.name, columnsViewReads(view, table));
    };
    for (const view of catalog.views) {
      depend(view.entity.source.name, view.entity.name, view.entity.idColumn, view);
      for (const source of view.plan.sources) depend(source.source.name, view.entity.name, source.keyColumn, view);
    }
    for (const { table, ...route } of grouped.values()) {
      const routes = this.routes.get(table) ?? [];
      routes.push(route);
      this.routes.set(table, routes);
    }
    for (const source of catalog.sources) this.knownColumns.set(source.name, new Set([...Object.keys(source.columns), ...(source.privateColumns ?? [])]));
  }

  /** The tables whose changes matter: what the publication must contain. */
  get tables(): string[] {
    return [...this.routes.keys()];
  }

  /** The entities some change can reach (those with views), in catalog order. */
  get entities(): string[] {
    const out = new Set<string>();
    for (const routes of this.routes.values()) for (const route of routes) out.add(route.entity);
    return [...out];
  }

  /** Adds the entities and views `change` (committed at `at`) affects to `into`; reports what it had to skip. */
  route(change: SourceChange, into: AffectedEntities, onSkip: SkipListener, at?: Date): void {
    const routes = this.routes.get(change.table);
    if (!routes) {
      onSkip('unknown_table', change.table);
      return;
    }
    const known = this.knownColumns.get(change.table);
    for (const column of change.columns) if (!known?.has(column)) onSkip('unknown_column', change.table, column);
    const rows = [change.newRow, change.oldRow].filter((row): row is Readonly<Record<string, unknown>> => row !== undefined && row !== null);
    const changed = changedColumns(change);
    for (const route of routes) {
      const views = changed ? route.views.filter((view) => readsAny(route.reads.get(view), changed)) : route.views;
      if (views.length === 0) continue;
      let routed = false;
      for (const row of rows) {
        if (!(route.keyColumn in row)) continue;
        const value = row[route.keyColumn];
        if (value === null || value === undefined) {
          routed = true; // a row of no entity (nullable key): nothing to recompute
          continue;
        }
        const id = String(value);
        if (!isValidEntityId(id)) {
          onSkip('invalid_key', change.table, `${route.keyColumn}=${id}`);
          continue;
        }
        into.add(route.entity, views, id, at);
        routed = true;
      }
      if (!routed && rows.every((row) => !(route.keyColumn in row))) onSkip('missing_key', change.table, route.keyColumn);
    }
  }
}
