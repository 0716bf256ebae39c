import { InvalidDecisionIdError } from '../errors/invalid-decision-id.error';
import { checkDecisionId, decisionIdFor, decisionIdTime, newDecisionId } from './decision-id';

describe('decision ids', () => {
  it('makes RFC 9562 version 7 UUIDs: the instant in the first 48 bits, version and variant set, the rest random', () => {
    const at = Date.parse('2026-12-01T10:00:00.123Z');
    const id = newDecisionId(at, Uint8Array.from([0xff, 0x01, 0xff, 2, 3, 4, 5, 6, 7, 8]));
    expect(id).toBe(`${at.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7f01-bf02-030405060708`);
    expect(decisionIdTime(id)).toEqual(new Date(at));
    expect(newDecisionId(0, new Uint8Array(10))).toBe('00000000-0000-7000-8000-000000000000');
  });

  it('gives distinct ids that sort by time', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => newDecisionId(1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    const firsts = ids.filter((_, i) => i % 100 === 0);
    expect([...firsts].sort()).toEqual(firsts);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it('refuses instants outside 48 bits', () => {
    expect(() => newDecisionId(-1)).toThrow(RangeError);
    expect(() => newDecisionId(2 ** 48)).toThrow(RangeError);
  });

  it("takes a caller's id as given, and names what is wrong with a bad one", () => {
    expect(checkDecisionId('app-2026-000123:retry.1')).toBe('app-2026-000123:retry.1');
    expect(checkDecisionId('0190d5b2-7c1e-7abc-8def-0123456789ab')).toBe('0190d5b2-7c1e-7abc-8def-0123456789ab');
    const cases: Array<[unknown, RegExp]> = [
      ['', /is empty/],
      ['x'.repeat(65), /longer than 64 characters/],
      ['-leading', /must start with a letter or digit/],
      ['has space', /may hold only/],
      ['a/b', /may hold only/],
      ['line\nbreak', /may hold only/],
      [['a', 'b'], /more than once/],
      [42, /must be a string/],
    ];
    for (const [given, message] of cases) {
      expect(() => checkDecisionId(given)).toThrow(InvalidDecisionIdError);
      expect(() => checkDecisionId(given)).toThrow(message);
    }
    // A huge id is quoted by its start and length only.
    expect(() => checkDecisionId('y'.repeat(100_000))).toThrow(/\(100000 characters\)/);
  });

  it("uses the caller's id when there is one, a new UUID v7 otherwise", () => {
    expect(decisionIdFor('mine')).toBe('mine');
    expect(decisionIdTime(decisionIdFor(undefined, 1_000))).toEqual(new Date(1_000));
    expect(() => decisionIdFor(['a', 'b'])).toThrow(InvalidDecisionIdError);
  });

  it('knows the time of UUID v7 ids only', () => {
    expect(decisionIdTime('mine')).toBeNull();
    expect(decisionIdTime('0190d5b2-7c1e-4abc-8def-0123456789ab')).toBeNull();
  });
});
