import type { EntityDefinition } from './entity';
import type { AggregateFn, AnyFeatureDefinition, AggregateSpec, RatioOperand, WindowDays } from './feature-view';
import type { Predicate } from './predicate';
import type { ColumnType, SourceDefinition } from './source';
import type { ValueType } from './value-type';
import { must } from '../internal/must';

/** An entity with its table resolved. */
export interface ResolvedEntity extends EntityDefinition {
  /** The entity's own table. */
  readonly source: SourceDefinition;
  /** The column of `source` holding the entity id. */
  readonly idColumn: string;
}

/** The window of an aggregate, resolved to its source's time column. */
export interface PlannedWindow {
  readonly days: WindowDays;
  readonly column: string;
  readonly columnType: 'DATE' | 'TIMESTAMP';
}

/**
 * One distinct aggregate of a view (identical specs used by several features are computed once).
 * Everything an engine needs, resolved: the SQL compiler, the JS evaluator and a streaming path read
 * plans, not raw specs.
 */
export interface AggregatePlan {
  /** `a0`, `a1`, ...: unique within the view, safe as a SQL alias. */
  readonly id: string;
  readonly source: SourceDefinition;
  /** The source's column holding the view's entity id. */
  readonly keyColumn: string;
  readonly fn: AggregateFn;
  readonly column?: string;
  readonly columnType?: ColumnType;
  readonly where?: Predicate;
  readonly window?: PlannedWindow;
  /** INT64 for counts and INT64 columns, MONEY for sum/max of a MONEY_MINOR column. */
  readonly resultType: 'INT64' | 'MONEY';
}

/** The aggregates of a view over one source. */
export interface SourcePlan {
  readonly source: SourceDefinition;
  readonly keyColumn: string;
  readonly aggregates: readonly AggregatePlan[];
  /**
   * The widest window of these aggregates: only rows inside it need reading. Undefined when some
   * aggregate is not windowed (every row of the entity is read).
   */
  readonly widestWindow?: PlannedWindow;
}

export type PlannedOperand =
  | { readonly kind: 'aggregate'; readonly aggregate: AggregatePlan }
  | { readonly kind: 'feature'; readonly feature: string };

export type PlannedComputation =
  | { readonly kind: 'attribute'; readonly column: string; readonly columnType: ColumnType }
  | { readonly kind: 'age_days'; readonly column: string; readonly columnType: 'DATE' | 'TIMESTAMP' }
  | { readonly kind: 'aggregate'; readonly aggregate: AggregatePlan }
  | { readonly kind: 'ratio'; readonly numerator: PlannedOperand; readonly denominator: PlannedOperand };

export interface PlannedFeature {
  readonly name: string;
  readonly valueType: ValueType;
  readonly definition: AnyFeatureDefinition;
  readonly computation: PlannedComputation;
}

/** How to compute a view: its aggregates grouped by source, and each feature's resolved computation. */
export interface ViewPlan {
  /** Sources in first-use order. */
  readonly sources: readonly SourcePlan[];
  /** Features in declaration order. */
  readonly features: readonly PlannedFeature[];
}

/** Builds the plan of a view that has passed validation. */
export function buildViewPlan(
  features: readonly AnyFeatureDefinition[],
  entity: ResolvedEntity,
  sources: ReadonlyMap<string, SourceDefinition>,
): ViewPlan {
  const byKey = new Map<string, AggregatePlan>();
  const bySource = new Map<string, AggregatePlan[]>();

  const planAggregate = (spec: AggregateSpec): AggregatePlan => {
    const key = JSON.stringify([spec.source, spec.fn, spec.column ?? null, spec.where ?? null, spec.windowDays ?? null]);
    const found = byKey.get(key);
    if (found) return found;
    const source = must(sources.get(spec.source), `source ${spec.source}`);
    const columnType = spec.column === undefined ? undefined : source.columns[spec.column].type;
    const timeColumn = source.timeColumn;
    const plan: AggregatePlan = {
      id: `a${byKey.size}`,
      source,
      keyColumn: source.keys[entity.name],
      fn: spec.fn,
      ...(spec.column === undefined ? {} : { column: spec.column, columnType }),
      ...(spec.where ? { where: spec.where } : {}),
      ...(spec.windowDays === undefined || timeColumn === undefined
        ? {}
        : {
            window: {
              days: spec.windowDays,
              column: timeColumn,
              columnType: source.columns[timeColumn].type as 'DATE' | 'TIMESTAMP',
            },
          }),
      resultType: (spec.fn === 'sum' || spec.fn === 'max') && columnType === 'MONEY_MINOR' ? 'MONEY' : 'INT64',
    };
    byKey.set(key, plan);
    const list = bySource.get(spec.source) ?? [];
    list.push(plan);
    bySource.set(spec.source, list);
    return plan;
  };

  const planOperand = (operand: RatioOperand): PlannedOperand =>
    operand.kind === 'feature'
      ? { kind: 'feature', feature: operand.feature }
      : { kind: 'aggregate', aggregate: planAggregate(operand) };

  const planned = features.map((f): PlannedFeature => {
    const c = f.compute;
    let computation: PlannedComputation;
    switch (c.kind) {
      case 'attribute':
        computation = { kind: 'attribute', column: c.column, columnType: entity.source.columns[c.column].type };
        break;
      case 'age_days':
        computation = {
          kind: 'age_days',
          column: c.column,
          columnType: entity.source.columns[c.column].type as 'DATE' | 'TIMESTAMP',
        };
        break;
      case 'aggregate':
        computation = { kind: 'aggregate', aggregate: planAggregate(c) };
        break;
      case 'ratio':
        computation = { kind: 'ratio', numerator: planOperand(c.numerator), denominator: planOperand(c.denominator) };
        break;
    }
    return { name: f.name, valueType: f.valueType, definition: f, computation };
  });

  const sourcePlans = [...bySource.entries()].map(([name, aggregates]): SourcePlan => {
    const source = must(sources.get(name), `source ${name}`);
    let widest: PlannedWindow | undefined;
    for (const a of aggregates) {
      if (a.window === undefined) {
        widest = undefined;
        break;
      }
      if (widest === undefined || a.window.days > widest.days) widest = a.window;
    }
    return { source, keyColumn: source.keys[entity.name], aggregates, ...(widest ? { widestWindow: widest } : {}) };
  });

  return { sources: sourcePlans, features: planned };
}
