import type { ValueType } from '@bnpl/feature-definitions';

/**
 * Whether the value the source computes for one feature (`expected`) and the value the online store holds
 * (`online`) are the same, exactly. The online store keeps raw values (defaults are applied at read time),
 * so:
 * - `null` (no value) equals only `null`: a stored default where the source has no value, or the reverse,
 *   is a mismatch. `undefined` (a feature absent from a row) counts as `null`, as the store port says.
 * - INT64 and MONEY amounts are compared as integers: a `number` and a `bigint` of the same value are
 *   equal (adapters decode to `number`, a driver may hand over a `bigint`). A non-integer is never equal.
 * - MONEY: same currency and same amount; other fields are ignored.
 * - DOUBLE: `===`, with no tolerance, on purpose: both sides are IEEE divisions of the same exact integer
 *   operands (the batch SQL, and the streaming path by the definition's contract), so any difference, even
 *   in the last bit, means the inputs differed. `0` and `-0` are equal; NaN cannot be stored.
 * - STRING, BOOL: `===`.
 */
export function featureValuesEqual(type: ValueType, expected: unknown, online: unknown): boolean {
  const a = expected ?? null;
  const b = online ?? null;
  if (a === null || b === null) return a === b;
  switch (type) {
    case 'INT64':
      return integersEqual(a, b);
    case 'MONEY':
      return moneyEqual(a, b);
    default:
      return a === b;
  }
}

function moneyEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return typeof x['currency'] === 'string' && x['currency'] === y['currency'] && integersEqual(x['amountMinor'], y['amountMinor']);
}

function integersEqual(a: unknown, b: unknown): boolean {
  const x = asBigInt(a);
  const y = asBigInt(b);
  return x !== undefined && x === y;
}

function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}
