import type { DecodedRow } from '@bnpl/offline-store';

/** A result schema field as the REST API returns it. */
export interface BigQueryField {
  readonly name?: string | null;
  readonly type?: string | null;
}

/** A result row as the REST API returns it (`getQueryResults` with `skipParsing`): `{ f: [{ v }] }`, every value a string or null. */
export interface BigQueryRawRow {
  readonly f?: ReadonlyArray<{ readonly v?: unknown }> | null;
}

/**
 * Decodes raw result rows by schema, with our own rules rather than the client's parsing: INT64 arrives as a
 * decimal string and becomes a number (exact within 2^53, the catalog's range) except in `textColumns` (join
 * keys: canonical id strings); TIMESTAMP arrives as int64 microseconds (`formatOptions.useInt64Timestamp`,
 * which the client sends) and becomes a Date; FLOAT64 text (`NaN`, `Infinity` included) a number; BOOL a
 * boolean; other types stay text.
 */
export function decodeRows(fields: readonly BigQueryField[], rows: readonly BigQueryRawRow[], textColumns: ReadonlySet<string>): DecodedRow[] {
  const index = new Map(fields.map((f, i) => [f.name ?? '', i]));
  return rows.map((row) => {
    const cells = row.f ?? [];
    return (column: string) => {
      const i = index.get(column);
      if (i === undefined) throw new Error(`BigQuery result has no column ${column}`);
      const raw = cells[i]?.v ?? null;
      return textColumns.has(column) ? raw : decodeValue(fields[i].type ?? 'STRING', raw);
    };
  });
}

export function decodeValue(type: string, raw: unknown): unknown {
  if (raw === null) return null;
  if (typeof raw !== 'string') throw new Error(`Unexpected BigQuery ${type} value ${JSON.stringify(raw)}`);
  switch (type) {
    case 'INTEGER':
    case 'INT64': {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : raw;
    }
    case 'FLOAT':
    case 'FLOAT64':
      return Number(raw);
    case 'BOOLEAN':
    case 'BOOL':
      return raw === 'true';
    case 'TIMESTAMP':
      return microsToDate(raw);
    default:
      return raw;
  }
}

/** int64 microseconds since the epoch -> Date, rounding down to the millisecond (also before 1970). */
export function microsToDate(raw: string): Date {
  if (!/^-?\d+$/.test(raw)) throw new Error(`Unexpected BigQuery TIMESTAMP value ${raw}: expected int64 microseconds`);
  const micros = BigInt(raw);
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  return new Date(Number(ms));
}
