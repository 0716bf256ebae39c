import type { Predicate } from '../model/predicate';
import type { SourceDefinition } from '../model/source';
import { normaliseColumnValue, type SourceRow } from './column-value';

/**
 * Evaluates a predicate on a source row, exactly as the SQL rendering does: a comparison involving NULL
 * is not true (and, there being no NOT, UNKNOWN acts as false everywhere). Column values are normalised
 * by their declared type first (see SourceRow), so `'5'` and `5` agree for an INT64 column.
 * The predicate is assumed valid for `source` (catalog validation guarantees it for catalog features).
 */
export function evaluatePredicate(predicate: Predicate, row: SourceRow, source: SourceDefinition): boolean {
  switch (predicate.op) {
    case 'and':
      return predicate.predicates.every((p) => evaluatePredicate(p, row, source));
    case 'or':
      return predicate.predicates.some((p) => evaluatePredicate(p, row, source));
    default:
      break;
  }
  const col = source.columns[predicate.column];
  const value = normaliseColumnValue(col.type, row[predicate.column], `${source.name}.${predicate.column}`);
  switch (predicate.op) {
    case 'is_null':
      return value === null;
    case 'not_null':
      return value !== null;
    case 'in':
      return value !== null && predicate.values.includes(value);
    default:
      break;
  }
  if (value === null) return false;
  const literal = predicate.value;
  switch (predicate.op) {
    case 'eq':
      return value === literal;
    case 'ne':
      return value !== literal;
    case 'gt':
      return value > literal;
    case 'gte':
      return value >= literal;
    case 'lt':
      return value < literal;
    case 'lte':
      return value <= literal;
  }
}
