/** A literal in a predicate: a number for INT64/MONEY_MINOR columns, a string for STRING, a boolean for BOOL. */
export type Literal = string | number | boolean;

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

/**
 * A row filter, as data, so that the same predicate is rendered to SQL and evaluated in JS.
 *
 * Semantics are SQL's, restricted so that JS and SQL agree exactly: a comparison with a NULL column value
 * is not true (SQL's UNKNOWN). There is no NOT, so UNKNOWN behaves as false everywhere, including inside
 * `and` / `or`. Ordering comparisons (gt, gte, lt, lte) are only allowed on numeric columns, so string
 * collation never matters; `in` needs at least one value, `and` / `or` at least one operand.
 */
export type Predicate =
  | { [K in ComparisonOp]: { readonly op: K; readonly column: string; readonly value: Literal } }[ComparisonOp]
  | { readonly op: 'in'; readonly column: string; readonly values: readonly Literal[] }
  | { [K in 'is_null' | 'not_null']: { readonly op: K; readonly column: string } }['is_null' | 'not_null']
  | { [K in 'and' | 'or']: { readonly op: K; readonly predicates: readonly Predicate[] } }['and' | 'or'];
// (One union member per operator, so that TypeScript narrows on `op`.)

/** Predicate builders: `where.and(where.eq('status', 'paid'), where.gt('days_past_due', 0))`. */
export const where = {
  eq: (column: string, value: Literal): Predicate => ({ op: 'eq', column, value }),
  ne: (column: string, value: Literal): Predicate => ({ op: 'ne', column, value }),
  gt: (column: string, value: number): Predicate => ({ op: 'gt', column, value }),
  gte: (column: string, value: number): Predicate => ({ op: 'gte', column, value }),
  lt: (column: string, value: number): Predicate => ({ op: 'lt', column, value }),
  lte: (column: string, value: number): Predicate => ({ op: 'lte', column, value }),
  in: (column: string, values: readonly Literal[]): Predicate => ({ op: 'in', column, values }),
  isNull: (column: string): Predicate => ({ op: 'is_null', column }),
  notNull: (column: string): Predicate => ({ op: 'not_null', column }),
  and: (...predicates: Predicate[]): Predicate => ({ op: 'and', predicates }),
  or: (...predicates: Predicate[]): Predicate => ({ op: 'or', predicates }),
};

/** The columns a predicate reads, in first-use order. */
export function predicateColumns(predicate: Predicate): string[] {
  const out = new Set<string>();
  const walk = (p: Predicate): void => {
    if (p.op === 'and' || p.op === 'or') p.predicates.forEach(walk);
    else out.add(p.column);
  };
  walk(predicate);
  return [...out];
}
