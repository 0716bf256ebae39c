import { InvalidEntityIdError } from '../errors/invalid-argument.error';

/** A SQL bigint's largest value, as the canonical id text. */
const MAX_BIGINT_TEXT = '9223372036854775807';

/**
 * True when `id` is an entity id in canonical form: a decimal string of a positive integer that fits a
 * SQL bigint, without sign or leading zeros. Canonical form makes string equality id equality.
 */
export function isValidEntityId(id: unknown): id is string {
  // Digit strings of one length without leading zeros order as their numbers do, so only a 19-digit id
  // needs comparing with the maximum, and as text: no BigInt parsed for every id of every read.
  return typeof id === 'string' && /^[1-9][0-9]{0,18}$/.test(id) && (id.length < MAX_BIGINT_TEXT.length || id <= MAX_BIGINT_TEXT);
}

/** Throws InvalidEntityIdError unless `id` is a canonical entity id. */
export function assertEntityId(id: unknown): asserts id is string {
  if (!isValidEntityId(id)) throw new InvalidEntityIdError(id);
}

/** Orders canonical entity ids numerically (as SQL orders bigints). */
export function compareEntityIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
