import { predicateColumns } from './predicate';
import type { SourceDefinition } from './source';
import type { AggregatePlan, PlannedOperand, ResolvedEntity, ViewPlan } from './view-plan';

/**
 * What a backfill (values as of a past instant, computed today) can say about a feature:
 * - `exact`: computed from rows that existed at the instant (creation times) and columns that never change;
 * - `rebuilt`: also reads columns rebuilt from the rows' own times (an instalment's repayment state) or
 *   relies on dated rows having existed by their date: exact as long as the source changed only in the
 *   ways its history declares (see `SourceHistory`);
 * - `none`: reads current state the source keeps no history of (a KYC level, an order's status): a backfill
 *   leaves it out (null) rather than write today's value as the past's.
 */
export type BackfillMode = 'exact' | 'rebuilt' | 'none';

export interface FeatureBackfill {
  readonly mode: BackfillMode;
  /** Why it is not `exact`: what the source cannot tell about the past. Empty for `exact`. */
  readonly why: string;
}

const RANK: Record<BackfillMode, number> = { none: 0, rebuilt: 1, exact: 2 };

function weakest(parts: readonly FeatureBackfill[]): FeatureBackfill {
  let result: FeatureBackfill = { mode: 'exact', why: '' };
  for (const part of parts) {
    if (RANK[part.mode] < RANK[result.mode]) result = part;
    else if (part.mode === result.mode && part.why && !result.why.includes(part.why)) result = { mode: result.mode, why: result.why ? `${result.why}; ${part.why}` : part.why };
  }
  return result;
}

/** What `source` can tell about `column` at a past instant. */
function columnHistory(source: SourceDefinition, column: string): FeatureBackfill {
  const history = source.history;
  if (history?.createdAt === column || history?.immutable?.includes(column)) return { mode: 'exact', why: '' };
  if (history?.rebuilt?.[column]) return { mode: 'rebuilt', why: `${source.name}.${column} is rebuilt from ${history.rebuilt[column].paidAt} and ${history.rebuilt[column].dueDate}` };
  return { mode: 'none', why: `${source.name}.${column} keeps only its current value` };
}

function aggregateHistory(a: AggregatePlan): FeatureBackfill {
  const history = a.source.history;
  const existence: FeatureBackfill =
    history?.createdAt !== undefined ? { mode: 'exact', why: '' }
    : a.window && history?.datedRowsExisted ? { mode: 'rebuilt', why: `${a.source.name} rows are taken to exist from their ${a.window.column}` }
    : { mode: 'none', why: `${a.source.name} rows carry no creation time${a.window ? '' : ' (and the aggregate is not windowed)'}` };
  const columns = new Set<string>([a.keyColumn]);
  if (a.column !== undefined) columns.add(a.column);
  if (a.window) columns.add(a.window.column);
  if (a.where) predicateColumns(a.where).forEach((c) => columns.add(c));
  return weakest([existence, ...[...columns].map((c) => columnHistory(a.source, c))]);
}

/**
 * Classifies every feature of a view for backfills, from its plan and its sources' declared history.
 * The entity's own table must tell when each entity was created (no row before it existed); MONEY values
 * need the entity's currency to be fixed.
 */
export function classifyBackfill(plan: ViewPlan, entity: ResolvedEntity): Readonly<Record<string, FeatureBackfill>> {
  const out: Record<string, FeatureBackfill> = {};
  const created = entity.source.history?.createdAt;
  const operand = (o: PlannedOperand): FeatureBackfill => (o.kind === 'aggregate' ? aggregateHistory(o.aggregate) : out[o.feature]);
  // Ratios read other features' classes: the others first.
  for (const pass of ['plain', 'ratio'] as const) {
    for (const f of plan.features) {
      const c = f.computation;
      if ((c.kind === 'ratio') !== (pass === 'ratio')) continue;
      if (created === undefined) {
        out[f.name] = { mode: 'none', why: `${entity.source.name} carries no creation time, so a backfill cannot tell which ${entity.name}s existed` };
        continue;
      }
      const parts: FeatureBackfill[] = [];
      if (f.valueType === 'MONEY' && entity.currencyColumn !== undefined) parts.push(columnHistory(entity.source, entity.currencyColumn));
      switch (c.kind) {
        case 'attribute':
        case 'age_days':
          parts.push(columnHistory(entity.source, c.column));
          break;
        case 'aggregate':
          parts.push(aggregateHistory(c.aggregate));
          break;
        case 'ratio':
          parts.push(operand(c.numerator), operand(c.denominator));
          break;
      }
      out[f.name] = weakest(parts);
    }
  }
  return out;
}
