import { addMoney, divideRoundHalfUp } from './money-arithmetic';

describe('divideRoundHalfUp', () => {
  it.each([
    [0, 3, 0],
    [1, 3, 0],
    [1, 2, 1],
    [3, 2, 2],
    [5, 2, 3],
    [2, 3, 1],
    [301, 3, 100],
    [302, 3, 101],
    [-1, 2, 0], // halves go up, towards +infinity: -0.5 -> 0
    [-3, 2, -1],
    [-2, 3, -1],
    [1, -2, 0],
    [Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, 2, 4503599627370496],
  ])('floor((2*%d + d) / 2d) with d=%d is %d', (n, d, q) => {
    expect(divideRoundHalfUp(n, d)).toBe(q);
  });
});

describe('addMoney', () => {
  it('adds same-currency amounts; a zero XXX default is neutral; mixed currencies give null', () => {
    expect(addMoney({ amountMinor: 1, currency: 'EUR' }, { amountMinor: 2, currency: 'EUR' })).toEqual({ amountMinor: 3, currency: 'EUR' });
    expect(addMoney({ amountMinor: 0, currency: 'XXX' }, { amountMinor: 2, currency: 'EUR' })).toEqual({ amountMinor: 2, currency: 'EUR' });
    expect(addMoney({ amountMinor: 1, currency: 'GBP' }, { amountMinor: 2, currency: 'EUR' })).toBeNull();
  });
});
