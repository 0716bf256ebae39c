import { InvalidEntityIdError } from '../errors/invalid-argument.error';
import { assertEntityId, compareEntityIds, isValidEntityId } from './entity-id';

/** The definition, written the plain way: canonical decimal text of a positive integer up to 2^63 - 1. */
function byDefinition(id: unknown): boolean {
  return typeof id === 'string' && /^[1-9][0-9]*$/.test(id) && BigInt(id) <= 2n ** 63n - 1n;
}

describe('isValidEntityId', () => {
  it.each(['1', '42', '999999999999999999', '1000000000000000000', '9223372036854775807', '9223372036854775799'])('accepts %s', (id) => {
    expect(isValidEntityId(id)).toBe(true);
  });

  it.each(['0', '01', '-1', '+1', ' 1', '1 ', '1.0', '1e3', '', '9223372036854775808', '9300000000000000000', '9999999999999999999', '10000000000000000000', '١٢'])('refuses %j', (id) => {
    expect(isValidEntityId(id)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const id of [1, 1n, null, undefined, {}, ['1']]) expect(isValidEntityId(id)).toBe(false);
  });

  it('agrees with the definition on every id that shares a prefix with the maximum and then differs by one digit', () => {
    const max = '9223372036854775807';
    let checked = 0;
    for (let shared = 0; shared < max.length; shared++) {
      for (let digit = 0; digit <= 9; digit++) {
        for (const fill of ['0', '9']) {
          for (const length of [18, 19, 20]) {
            const id = (max.slice(0, shared) + String(digit)).padEnd(length, fill).slice(0, length);
            expect([id, isValidEntityId(id)]).toEqual([id, byDefinition(id)]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(19 * 10 * 2 * 3);
  });

  it('is what assertEntityId enforces, and compareEntityIds orders valid ids as numbers', () => {
    expect(() => assertEntityId('9223372036854775808')).toThrow(InvalidEntityIdError);
    expect(() => assertEntityId('9223372036854775807')).not.toThrow();
    const ids = ['10', '9', '9223372036854775807', '100', '1'];
    expect([...ids].sort(compareEntityIds)).toEqual([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)));
  });
});
