import type { Literal } from '@bnpl/feature-definitions';

/**
 * Quotes an identifier. Catalog names are already validated lower_snake_case; quoting anyway keeps a
 * name that happens to be a keyword (`order`, `user`) working and makes injection impossible.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Renders a predicate literal. Literals come from code (the catalog), never from requests, but are still
 * rendered safely: strings with doubled quotes (standard_conforming_strings, the default on PostgreSQL and
 * CockroachDB), numbers only as safe integers.
 */
export function sqlLiteral(value: Literal): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Cannot render ${value} as an exact SQL integer literal`);
    return String(value);
  }
  if (value.includes('\0')) throw new Error('SQL string literals cannot contain NUL');
  return `'${value.replace(/'/g, "''")}'`;
}
