import { FeatureComputationError } from '../errors/feature-computation.error';
import type { ColumnType } from '../model/source';
import { describeValue } from '../model/value-type';
import { dayNumberOfDate, utcDayNumber } from './window';

/**
 * A row of a source table as plain JS. Accepted column values (NULL as `null` or absent):
 * - ID: a positive safe integer, a bigint, or a decimal string;
 * - INT64, MONEY_MINOR: a safe integer, or a bigint / decimal string within the safe range;
 * - STRING: a string; BOOL: a boolean (or `t` / `f`, as PostgreSQL's text form has it);
 * - DATE: a `YYYY-MM-DD` string, or a Date read by its UTC date;
 * - TIMESTAMP: a Date, epoch milliseconds, or a string `Date.parse` understands (ISO 8601).
 * So rows from node-postgres (bigint as string), from JSON and from pgoutput's text form all work.
 * One trap: node-postgres parses `date` columns into Dates at *local* midnight by default, which is
 * another UTC date east of UTC; read DATE columns as text (a type parser for oid 1082) or run in UTC.
 */
export type SourceRow = Readonly<Record<string, unknown>>;

/**
 * A column value in the form the evaluator compares: ID -> canonical decimal string, INT64/MONEY_MINOR
 * -> number, DATE -> UTC day number, TIMESTAMP -> epoch ms, STRING, BOOL as such.
 */
export type NormalisedValue = string | number | boolean;

/**
 * Where a value came from, for error messages: a string, or a function giving it, so that a hot loop
 * builds the text only when a value is bad (per value, the string cost more than the check).
 */
export type ValueLocation = string | (() => string);

const located = (where: ValueLocation) => (typeof where === 'string' ? where : where());

function invalid(type: ColumnType, value: unknown, where: ValueLocation): never {
  throw new FeatureComputationError('INVALID_SOURCE_VALUE', `${located(where)}: ${describeValue(value)} is not a valid ${type} value`);
}

/** Normalises a column value (see SourceRow); throws FeatureComputationError(INVALID_SOURCE_VALUE). */
export function normaliseColumnValue(type: ColumnType, value: unknown, where: ValueLocation): NormalisedValue | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'ID': {
      // Canonical already (no leading zero, short enough to be exact): as is, without a BigInt round trip.
      if (typeof value === 'string' && /^[1-9][0-9]{0,14}$/.test(value)) return value;
      if (typeof value === 'string' && /^[0-9]+$/.test(value)) return BigInt(value).toString();
      if (typeof value === 'bigint' || Number.isSafeInteger(value)) return String(value);
      return invalid(type, value, where);
    }
    case 'INT64':
    case 'MONEY_MINOR': {
      if (Number.isSafeInteger(value)) return value as number;
      // Up to 15 digits is always exact as a double: no BigInt round trip (a hot path of the streaming path).
      if (typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value)) return Number(value);
      if (typeof value === 'bigint' || (typeof value === 'string' && /^-?[0-9]+$/.test(value))) {
        const n = Number(value);
        if (Number.isSafeInteger(n) && BigInt(n) === BigInt(value)) return n;
        throw new FeatureComputationError('VALUE_OUT_OF_RANGE', `${located(where)}: ${describeValue(value)} is beyond 2^53, not exact as a JS number`);
      }
      return invalid(type, value, where);
    }
    case 'STRING':
      return typeof value === 'string' ? value : invalid(type, value, where);
    case 'BOOL':
      if (typeof value === 'boolean') return value;
      if (value === 't' || value === 'true') return true;
      if (value === 'f' || value === 'false') return false;
      return invalid(type, value, where);
    case 'DATE': {
      if (value instanceof Date && !Number.isNaN(value.getTime())) return utcDayNumber(value);
      const day = typeof value === 'string' ? dayNumberOfDate(value) : undefined;
      return day ?? invalid(type, value, where);
    }
    case 'TIMESTAMP': {
      const ms =
        value instanceof Date ? value.getTime()
        : typeof value === 'number' ? value
        : typeof value === 'string' ? Date.parse(value)
        : Number.NaN;
      return Number.isFinite(ms) ? ms : invalid(type, value, where);
    }
    default:
      return invalid(type, value, where);
  }
}

/** The UTC day of a normalised DATE (already a day) or TIMESTAMP (epoch ms) value. */
export function dayOfTemporal(type: 'DATE' | 'TIMESTAMP', normalised: number): number {
  return type === 'DATE' ? normalised : utcDayNumber(normalised);
}
