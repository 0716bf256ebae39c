import type { Catalog } from '@bnpl/feature-definitions';

/**
 * Rows of one source, dated on one of `dates`, whose entities' windowed views change value at the start
 * of a UTC day even though no row changed.
 */
export interface WindowEdge {
  readonly entity: string;
  readonly table: string;
  readonly keyColumn: string;
  readonly timeColumn: string;
  readonly columnType: 'DATE' | 'TIMESTAMP';
  /** The views with a window over this source. */
  readonly views: readonly string[];
  /** UTC dates (`YYYY-MM-DD`) of the rows that enter or leave a window on `day`. */
  readonly dates: readonly string[];
}

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * What moves when the as-of date becomes `day` (a UTC date; the time of day is ignored). A window of N days
 * as of date D covers dates in (D - N, D]; going from D - 1 to D, rows dated D enter it and rows dated
 * D - N leave it. So an entity's windowed view changes value on day D exactly when it has a row of the
 * window's source dated D or D - N, and recomputing those entities keeps windows exact at day granularity
 * without waiting for the next change.
 *
 * Ages (`age_days`) move for every entity every day; they are not edges (a daily materialization of the
 * views that have them refreshes them).
 */
export function windowEdges(catalog: Catalog, day: Date): WindowEdge[] {
  const dayMs = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const edges = new Map<string, { entity: string; table: string; keyColumn: string; timeColumn: string; columnType: 'DATE' | 'TIMESTAMP'; views: Set<string>; dates: Set<string> }>();
  for (const view of catalog.views) {
    for (const source of view.plan.sources) {
      for (const aggregate of source.aggregates) {
        const window = aggregate.window;
        if (!window) continue;
        const key = [view.entity.name, source.source.name, source.keyColumn, window.column].join('\u0000');
        let edge = edges.get(key);
        if (!edge) {
          edge = { entity: view.entity.name, table: source.source.name, keyColumn: source.keyColumn, timeColumn: window.column, columnType: window.columnType, views: new Set(), dates: new Set() };
          edges.set(key, edge);
        }
        edge.views.add(view.name);
        edge.dates.add(isoDate(dayMs));
        edge.dates.add(isoDate(dayMs - window.days * DAY_MS));
      }
    }
  }
  return [...edges.values()].map((edge) => ({ ...edge, views: [...edge.views], dates: [...edge.dates].sort() }));
}
