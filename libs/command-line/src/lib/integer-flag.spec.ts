import { parseIntegerFlag } from './integer-flag';
import { UsageError } from './usage-error';

describe('parseIntegerFlag', () => {
  it('reads integers of at least min', () => {
    expect(parseIntegerFlag('--seed', '0', 0)).toBe(0);
    expect(parseIntegerFlag('--customers', '100', 100)).toBe(100);
    expect(parseIntegerFlag('--customers', ' 250 ', 100)).toBe(250);
  });

  it.each([
    ['lots', 100],
    ['99', 100],
    ['2.5', 1],
    ['', 0],
    ['  ', 0],
    ['9007199254740993', 0],
    ['-1', 0],
  ])('refuses %j (min %d), naming the flag', (raw, min) => {
    const parse = () => parseIntegerFlag('--customers', raw, min);
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(`--customers must be an integer >= ${min}, got "${raw}"`);
  });
});
