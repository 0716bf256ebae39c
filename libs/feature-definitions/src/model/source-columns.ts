import type { Catalog, FeatureView } from './catalog';
import { predicateColumns } from './predicate';

/**
 * The columns of `table` that `view` reads: of its entity's own table (the id, the attributes and ages,
 * the currency of money values), and through its aggregates over `table` (the key naming the view's
 * entity there, window times, predicate and aggregated columns).
 */
export function columnsViewReads(view: FeatureView, table: string): Set<string> {
  const columns = new Set<string>();
  const entity = view.entity;
  if (entity.source.name === table) {
    columns.add(entity.idColumn);
    if (entity.currencyColumn !== undefined && view.plan.features.some((f) => f.valueType === 'MONEY')) columns.add(entity.currencyColumn);
    for (const f of view.plan.features) {
      const c = f.computation;
      if (c.kind === 'attribute' || c.kind === 'age_days') columns.add(c.column);
    }
  }
  for (const sp of view.plan.sources) {
    if (sp.source.name !== table) continue;
    columns.add(sp.keyColumn);
    for (const a of sp.aggregates) {
      if (a.window) columns.add(a.window.column);
      if (a.where) predicateColumns(a.where).forEach((c) => columns.add(c));
      if (a.column !== undefined) columns.add(a.column);
    }
  }
  return columns;
}

/**
 * Per source table that any stored view reads, the columns the views read from it (sorted): what a
 * change stream has to carry for the catalog, and nothing else. Keys are always among them, so a change
 * can be routed to its entities; columns no view reads (customers' e-mail, name and date of birth among
 * them) never are.
 */
export function sourceColumnsRead(catalog: Catalog): Map<string, string[]> {
  const byTable = new Map<string, Set<string>>();
  const add = (table: string, view: FeatureView) => {
    const columns = byTable.get(table) ?? new Set<string>();
    columnsViewReads(view, table).forEach((c) => columns.add(c));
    byTable.set(table, columns);
  };
  for (const view of catalog.views) {
    add(view.entity.source.name, view);
    for (const source of view.plan.sources) add(source.source.name, view);
  }
  return new Map([...byTable].map(([table, columns]) => [table, [...columns].sort()]));
}
