import { compareLsn, lsnToBigInt } from './lsn';

describe('lsnToBigInt', () => {
  it('reads both hex halves as one 64-bit number', () => {
    expect(lsnToBigInt('0/0')).toBe(0n);
    expect(lsnToBigInt('16/B374D848')).toBe(0x16b374d848n);
    expect(lsnToBigInt('0/FFFFFFFF')).toBe(0xffffffffn);
    expect(lsnToBigInt('1/0')).toBe(1n << 32n);
    expect(lsnToBigInt('FFFFFFFF/FFFFFFFF')).toBe((1n << 64n) - 1n);
  });

  it('reads zero-padded halves as the unpadded ones', () => {
    expect(lsnToBigInt('00000016/B374D848')).toBe(lsnToBigInt('16/B374D848'));
    expect(lsnToBigInt('00000000/0000000A')).toBe(10n);
  });

  it('accepts lower-case hex', () => {
    expect(lsnToBigInt('16/b374d848')).toBe(lsnToBigInt('16/B374D848'));
  });

  it.each(['', '0', '16B374D848', '/0', '0/', '0/0/0', 'G/0', '0/XYZ', '-1/0', ' 0/0', '0/0 ', '123456789/0', '0/123456789', '0x16/0'])(
    'rejects %p with a RangeError',
    (lsn) => {
      expect(() => lsnToBigInt(lsn)).toThrow(RangeError);
    },
  );
});

describe('compareLsn', () => {
  it('orders by the high half first', () => {
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBeGreaterThan(0);
    expect(compareLsn('0/FFFFFFFF', '1/0')).toBeLessThan(0);
    expect(compareLsn('A/1', '9/FFFFFFFF')).toBeGreaterThan(0);
  });

  it('orders numerically, not as text', () => {
    // As strings "9/0" > "10/0"; as positions it is the reverse.
    expect(compareLsn('9/0', '10/0')).toBeLessThan(0);
    expect(compareLsn('0/9', '0/10')).toBeLessThan(0);
  });

  it('is zero for the same position however it is written', () => {
    expect(compareLsn('16/B374D848', '00000016/b374d848')).toBe(0);
  });

  it('sorts a list of positions', () => {
    expect(['1/0', '0/10', '0/9', '0/0', 'A/0'].sort(compareLsn)).toEqual(['0/0', '0/9', '0/10', '1/0', 'A/0']);
  });

  it('throws a RangeError when either side is not an LSN', () => {
    expect(() => compareLsn('0/0', 'nope')).toThrow(RangeError);
    expect(() => compareLsn('nope', '0/0')).toThrow(RangeError);
  });
});
