import type { Predicate } from './predicate';
import type { ValueOf, ValueType } from './value-type';

/** The windows an aggregate may use, in days. */
export const WINDOW_DAYS = [7, 30, 90, 365] as const;
export type WindowDays = (typeof WINDOW_DAYS)[number];

export type AggregateFn = 'count' | 'sum' | 'max' | 'count_distinct';

/**
 * An aggregate over a source table joined to the view's entity by the source's key column for that
 * entity.
 *
 * **Window semantics** (exact at day granularity, so that a streaming path keeping per-day tiles gives
 * identical values): a window of N days as of instant T covers exactly the rows whose UTC calendar date
 * d satisfies `asOfDate - N < d <= asOfDate`, where `asOfDate` is T's UTC date. For a DATE time column
 * the date itself is d; for a TIMESTAMP column d is its UTC date. So a 7-day window as of
 * 2025-03-15T10:00Z covers 2025-03-09 .. 2025-03-15 (whole days, including all of the as-of day, even
 * the part after T); 2025-03-08 and 2025-03-16 are outside. Rows with a NULL time are in no window.
 * Without a window, an aggregate takes every row, whatever its time (e.g. instalments due in the future
 * count towards an outstanding balance): non-windowed aggregates and attributes describe the current
 * state of the source tables; the as-of instant moves only windows and ages.
 *
 * **Results**: `count` counts matching rows; `count_distinct` the distinct non-NULL values of `column`;
 * `sum` adds the non-NULL values of `column`; all three are 0 when nothing matches. `max` is the largest
 * non-NULL value, or null when there is none.
 */
export interface AggregateSpec {
  readonly kind: 'aggregate';
  readonly source: string;
  readonly fn: AggregateFn;
  /** Required for sum, max (numeric columns) and count_distinct (any column but TIMESTAMP); absent for count. */
  readonly column?: string;
  /** Only rows for which this is true are aggregated. */
  readonly where?: Predicate;
  /** Restricts rows to a window over the source's time column; see above. */
  readonly windowDays?: WindowDays;
}

/** A column of the entity's own table (INT64, STRING, BOOL; MONEY from a MONEY_MINOR column; STRING from an ID column). */
export interface AttributeSpec {
  readonly kind: 'attribute';
  readonly column: string;
}

/**
 * Whole UTC calendar days from a DATE/TIMESTAMP column of the entity's table to the as-of instant:
 * `asOfDate - date(column)`. Calendar days (not elapsed 24 h periods) so the value changes at UTC midnight
 * for everybody, like windows do. Null when the column is NULL or after the as-of date.
 */
export interface AgeDaysSpec {
  readonly kind: 'age_days';
  readonly column: string;
}

/** Another feature of the same view, by name, used as a ratio operand (it may not itself be a ratio). */
export interface FeatureOperand {
  readonly kind: 'feature';
  readonly feature: string;
}

export type RatioOperand = AggregateSpec | FeatureOperand;

/**
 * numerator / denominator. Operands are numeric (INT64 or MONEY, whose amount is used); they are the raw
 * values (before defaults), so a null operand gives null. A zero or null denominator gives null (and so
 * the default).
 *
 * - DOUBLE result: IEEE division of the two (exact, integer) operands.
 * - MONEY result (an average amount; numerator MONEY, denominator INT64): integer division rounded half
 *   up, `floor((2n + d) / (2d))`, computed exactly; the currency is the entity's.
 */
export interface RatioSpec {
  readonly kind: 'ratio';
  readonly numerator: RatioOperand;
  readonly denominator: RatioOperand;
}

export type Computation = AttributeSpec | AgeDaysSpec | AggregateSpec | RatioSpec;

/** A stored feature of a view. `default` is what callers serve when the value is null or missing. */
export interface FeatureDefinition<T extends ValueType = ValueType> {
  /** lower_snake_case, unique within the view. */
  readonly name: string;
  readonly valueType: T;
  readonly default: ValueOf<T>;
  readonly description: string;
  readonly compute: Computation;
}

/** A feature definition of any value type, with its default correlated to its type. */
export type AnyFeatureDefinition = { [K in ValueType]: FeatureDefinition<K> }[ValueType];

/** A group of features of one entity, computed together, with one TTL. */
export interface FeatureViewDefinition {
  /** lower_snake_case, unique among stored and request-time views. */
  readonly name: string;
  /** Entity name. */
  readonly entity: string;
  /** The team answerable for the view's definitions. */
  readonly owner: string;
  readonly description: string;
  /** After this many seconds a served value is STALE. */
  readonly ttlSeconds: number;
  readonly features: readonly AnyFeatureDefinition[];
}

type WindowOptions = { readonly where?: Predicate; readonly window?: WindowDays };

function aggregate(source: string, fn: AggregateFn, column: string | undefined, o: WindowOptions): AggregateSpec {
  return {
    kind: 'aggregate',
    source,
    fn,
    ...(column === undefined ? {} : { column }),
    ...(o.where ? { where: o.where } : {}),
    ...(o.window === undefined ? {} : { windowDays: o.window }),
  };
}

/** Computation builders. */
export const compute = {
  attribute: (column: string): AttributeSpec => ({ kind: 'attribute', column }),
  ageDays: (column: string): AgeDaysSpec => ({ kind: 'age_days', column }),
  count: (source: string, o: WindowOptions = {}): AggregateSpec => aggregate(source, 'count', undefined, o),
  sum: (source: string, column: string, o: WindowOptions = {}): AggregateSpec => aggregate(source, 'sum', column, o),
  max: (source: string, column: string, o: WindowOptions = {}): AggregateSpec => aggregate(source, 'max', column, o),
  countDistinct: (source: string, column: string, o: WindowOptions = {}): AggregateSpec =>
    aggregate(source, 'count_distinct', column, o),
  ratio: (numerator: RatioOperand, denominator: RatioOperand): RatioSpec => ({ kind: 'ratio', numerator, denominator }),
  /** A ratio operand naming another feature of the same view. */
  feature: (name: string): FeatureOperand => ({ kind: 'feature', feature: name }),
};

/** Declares a stored feature; the default is type-checked against `valueType`. */
export function feature<T extends ValueType>(definition: FeatureDefinition<T>): FeatureDefinition<T> {
  return definition;
}

/** Declares a feature view. */
export function defineFeatureView(definition: FeatureViewDefinition): FeatureViewDefinition {
  return definition;
}
