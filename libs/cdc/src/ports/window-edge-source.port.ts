import type { WindowEdge } from '../rollover/window-edges';

/**
 * Finds the entities with rows on a window edge's dates (PostgreSQL: one DISTINCT query over the source
 * table). Run once a day per edge, so a sequential scan is acceptable.
 */
export interface WindowEdgeSource {
  /** Distinct canonical entity ids of `edge.table` rows whose `edge.timeColumn` falls on one of `edge.dates` (UTC). */
  entitiesOnEdge(edge: WindowEdge): Promise<string[]>;
}
