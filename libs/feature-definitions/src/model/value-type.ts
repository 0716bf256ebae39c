import { MAX_QUOTED_INPUT_LENGTH, quoteInput } from '../errors/bounded-message';

/**
 * The value types a feature can have. Strings (not a TS enum) so that definitions, JSON and protobuf
 * share the same spelling.
 */
export const ValueType = {
  /** A whole number, exact in a JS `number` (|v| <= 2^53 - 1). */
  INT64: 'INT64',
  /** An IEEE 754 double. */
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  BOOL: 'BOOL',
  /** An amount of money in integer minor units (cents) with its ISO 4217 currency. */
  MONEY: 'MONEY',
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

export const VALUE_TYPES: readonly ValueType[] = Object.values(ValueType);

/** Money: integer minor units (never floats) with an ISO 4217 currency code. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** The JS representation of each value type. */
export interface ValueTypeMap {
  INT64: number;
  DOUBLE: number;
  STRING: string;
  BOOL: boolean;
  MONEY: Money;
}
export type ValueOf<T extends ValueType> = ValueTypeMap[T];
export type FeatureValue = ValueTypeMap[ValueType];

/**
 * One entity's values of one feature view: feature name -> value, or `null` where the definition yields
 * no value (the caller then applies the feature's default).
 */
export type FeatureRow = Readonly<Record<string, FeatureValue | null>>;

/**
 * ISO 4217 "no currency". MONEY defaults use it because a default applies exactly when a value is
 * unknown, possibly together with the entity (and so its currency). A zero `XXX` amount is neutral in
 * request-time money arithmetic; see `addMoney`.
 */
export const NO_CURRENCY = 'XXX';

/** Shorthand for a MONEY value. */
export function money(amountMinor: number, currency: string): Money {
  return { amountMinor, currency };
}

export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
}

export function isMoney(value: unknown): value is Money {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return Number.isSafeInteger(m['amountMinor']) && isCurrencyCode(m['currency']) && Object.keys(m).length === 2;
}

/** True when `value` is a valid, non-null value of `type` (INT64 must be a safe integer, DOUBLE finite). */
export function isValueOfType<T extends ValueType>(type: T, value: unknown): value is ValueOf<T> {
  switch (type) {
    case 'INT64':
      return Number.isSafeInteger(value);
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'STRING':
      return typeof value === 'string';
    case 'BOOL':
      return typeof value === 'boolean';
    case 'MONEY':
      return isMoney(value);
    default:
      return false;
  }
}

/** Short description of a value for error messages: long strings and objects are quoted by their start (`quoteInput`). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'object') {
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      json = String(value); // e.g. a bigint inside
    }
    return json.length <= MAX_QUOTED_INPUT_LENGTH ? `${json} (object)` : `${json.slice(0, MAX_QUOTED_INPUT_LENGTH)}… (object, ${json.length} characters as JSON)`;
  }
  return typeof value === 'string' ? `${quoteInput(value)} (string)` : `${JSON.stringify(value)} (${typeof value})`;
}
