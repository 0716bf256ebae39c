import { InvalidEntityIdError } from '../errors/invalid-argument.error';

const MAX_BIGINT = 9223372036854775807n;

/**
 * True when `id` is an entity id in canonical form: a decimal string of a positive integer that fits a
 * SQL bigint, without sign or leading zeros. Canonical form makes string equality id equality.
 */
export function isValidEntityId(id: unknown): id is string {
  return typeof id === 'string' && /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
}

/** Throws InvalidEntityIdError unless `id` is a canonical entity id. */
export function assertEntityId(id: unknown): asserts id is string {
  if (!isValidEntityId(id)) throw new InvalidEntityIdError(id);
}

/** Orders canonical entity ids numerically (as SQL orders bigints). */
export function compareEntityIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
