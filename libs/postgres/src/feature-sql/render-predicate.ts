import type { Predicate } from '@bnpl/feature-definitions';
import { quoteIdent, sqlLiteral } from './sql-text';

const COMPARISON = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Renders a predicate over the columns of table alias `alias`. SQL's NULL semantics are exactly the
 * ones `evaluatePredicate` implements: a comparison with NULL is UNKNOWN, which the caller only ever uses
 * inside `CASE WHEN` / `WHERE`, where UNKNOWN is not true.
 */
export function renderPredicate(predicate: Predicate, alias: string, column: ColumnSql = (name) => `${alias}.${quoteIdent(name)}`): string {
  switch (predicate.op) {
    case 'and':
    case 'or':
      return `(${predicate.predicates.map((p) => renderPredicate(p, alias, column)).join(predicate.op === 'and' ? ' AND ' : ' OR ')})`;
    case 'is_null':
      return `(${column(predicate.column)} IS NULL)`;
    case 'not_null':
      return `(${column(predicate.column)} IS NOT NULL)`;
    case 'in':
      return `(${column(predicate.column)} IN (${predicate.values.map(sqlLiteral).join(', ')}))`;
    default:
      return `(${column(predicate.column)} ${COMPARISON[predicate.op]} ${sqlLiteral(predicate.value)})`;
  }
}

/** How a column of the aliased table is read: by default the column itself; a backfill reads some as rebuilt expressions. */
export type ColumnSql = (column: string) => string;
