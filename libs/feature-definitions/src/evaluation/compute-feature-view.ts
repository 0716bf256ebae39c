import { FeatureComputationError } from '../errors/feature-computation.error';
import type { FeatureView } from '../model/catalog';
import type { FeatureRow, FeatureValue } from '../model/value-type';
import type { AggregatePlan, PlannedFeature, PlannedOperand, PlannedWindow } from '../model/view-plan';
import { dayOfTemporal, normaliseColumnValue, type NormalisedValue, type SourceRow } from './column-value';
import { evaluatePredicate } from './evaluate-predicate';
import { divideRoundHalfUp } from './money-arithmetic';
import { asOfDayNumber, isInWindow } from './window';
import { must } from '../internal/must';

/** Source rows by source (table) name. Missing sources count as no rows. */
export type RowsBySource = Readonly<Record<string, readonly SourceRow[] | undefined>>;

/** A raw (pre-type) aggregate or attribute value: numbers for amounts, counts and ages. */
type Raw = NormalisedValue | null;

/**
 * The reference evaluator: computes one entity's values of a view from plain rows, exactly as the SQL
 * compiled from the same definition does (the parity tests prove it). It is the oracle for those tests
 * and the basis of the streaming path.
 *
 * @param view a view of a catalog (`catalog.getView(name)`).
 * @param entityRow the entity's row of its own table (`customers`, `merchants`), or null when the entity
 *   does not exist, in which case the result is null (as `SourceFeatureReader` returns for it).
 * @param rowsBySource rows of the sources the view aggregates over. Rows whose key column is not this
 *   entity's id are ignored, so passing a whole table is correct, only slower.
 * @param asOf the as-of instant; only windows and ages depend on it (see `AggregateSpec`).
 * @returns feature name -> value, in declaration order; null where the definition yields no value.
 * @throws FeatureComputationError for a source value of the wrong shape or an integer beyond 2^53;
 *   InvalidAsOfError for an invalid `asOf`.
 */
export function computeFeatureViewFromRows(
  view: FeatureView,
  entityRow: SourceRow | null,
  rowsBySource: RowsBySource,
  asOf: Date,
): FeatureRow | null {
  const asOfDay = asOfDayNumber(asOf);
  if (entityRow === null) return null;
  const entity = view.entity;
  const entityId = normaliseColumnValue('ID', entityRow[entity.idColumn], `${entity.source.name}.${entity.idColumn}`);
  if (entityId === null) throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${entity.source.name} row has no ${entity.idColumn}`);
  const currency =
    entity.currencyColumn === undefined
      ? null
      : (normaliseColumnValue('STRING', entityRow[entity.currencyColumn], `${entity.source.name}.${entity.currencyColumn}`) as string | null);

  const aggregates = computeAggregates(view, String(entityId), rowsBySource, asOfDay);

  const raw = new Map<string, Raw>();
  const rawOf = (f: PlannedFeature): Raw => {
    const c = f.computation;
    switch (c.kind) {
      case 'attribute':
        return normaliseColumnValue(c.columnType, entityRow[c.column], `${entity.source.name}.${c.column}`);
      case 'age_days': {
        const t = normaliseColumnValue(c.columnType, entityRow[c.column], `${entity.source.name}.${c.column}`) as number | null;
        if (t === null) return null;
        const age = asOfDay - dayOfTemporal(c.columnType, t);
        return age >= 0 ? age : null;
      }
      case 'aggregate':
        return must(aggregates.get(c.aggregate.id), c.aggregate.id);
      case 'ratio': {
        const n = operand(c.numerator);
        const d = operand(c.denominator);
        if (n === null || d === null || d === 0) return null;
        return f.valueType === 'MONEY' ? divideRoundHalfUp(n, d) : n / d;
      }
    }
  };
  const operand = (o: PlannedOperand): number | null =>
    must(o.kind === 'aggregate' ? aggregates.get(o.aggregate.id) : raw.get(o.feature), 'ratio operand') as number | null;

  // Ratios read other features' raw values, and never other ratios: two passes suffice.
  for (const f of view.plan.features) if (f.computation.kind !== 'ratio') raw.set(f.name, rawOf(f));
  for (const f of view.plan.features) if (f.computation.kind === 'ratio') raw.set(f.name, rawOf(f));

  const out: Record<string, FeatureValue | null> = {};
  for (const f of view.plan.features) {
    const v = must(raw.get(f.name), f.name);
    if (v === null) out[f.name] = null;
    else if (f.valueType === 'MONEY') out[f.name] = currency === null ? null : { amountMinor: v as number, currency };
    else out[f.name] = v;
  }
  return out;
}

/** Aggregate id -> value: counts and sums 0 when nothing matches, max null. */
function computeAggregates(view: FeatureView, entityId: string, rowsBySource: RowsBySource, asOfDay: number): Map<string, Raw> {
  const values = new Map<string, Raw>();
  for (const sp of view.plan.sources) {
    const source = sp.source;
    const state = sp.aggregates.map((a) => ({
      plan: a,
      count: 0,
      sum: 0,
      max: null as number | null,
      distinct: new Set<NormalisedValue>(),
    }));
    for (const row of rowsBySource[source.name] ?? []) {
      const key = normaliseColumnValue('ID', row[sp.keyColumn], `${source.name}.${sp.keyColumn}`);
      if (key !== entityId) continue;
      for (const s of state) {
        const a = s.plan;
        if (a.window && !inWindow(a, a.window, row, asOfDay)) continue;
        if (a.where && !evaluatePredicate(a.where, row, source)) continue;
        if (a.fn === 'count') {
          s.count += 1;
          continue;
        }
        const column = must(a.column, `${a.id} column`);
        const v = normaliseColumnValue(must(a.columnType, `${a.id} column type`), row[column], `${source.name}.${column}`);
        if (v === null) continue;
        if (a.fn === 'count_distinct') s.distinct.add(v);
        else if (a.fn === 'max') s.max = s.max === null || (v as number) > s.max ? (v as number) : s.max;
        else {
          s.sum += v as number;
          if (!Number.isSafeInteger(s.sum)) {
            throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `sum of ${source.name}.${a.column} for ${view.name} entity ${entityId} is beyond 2^53`);
          }
        }
      }
    }
    for (const s of state) {
      const fn = s.plan.fn;
      values.set(s.plan.id, fn === 'count' ? s.count : fn === 'sum' ? s.sum : fn === 'max' ? s.max : s.distinct.size);
    }
  }
  return values;
}

function inWindow(a: AggregatePlan, w: PlannedWindow, row: SourceRow, asOfDay: number): boolean {
  const t = normaliseColumnValue(w.columnType, row[w.column], `${a.source.name}.${w.column}`) as number | null;
  return t !== null && isInWindow(dayOfTemporal(w.columnType, t), asOfDay, w.days);
}
