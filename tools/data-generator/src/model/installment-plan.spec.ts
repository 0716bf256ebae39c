import { dueDay, installmentAmount, splitAmount } from './installment-plan';
import { Prng } from './prng';

describe('installment plan', () => {
  it('splits amounts so that the instalments sum exactly to the order amount', () => {
    const rng = new Prng(3);
    for (let i = 0; i < 10_000; i++) {
      const count = rng.int(1, 12);
      const total = rng.int(count, 5_000_000);
      const parts = splitAmount(total, count);
      expect(parts).toHaveLength(count);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.min(...parts)).toBeGreaterThan(0);
      // Every instalment but the first is equal; the first carries the remainder.
      expect(new Set(parts.slice(1)).size).toBeLessThanOrEqual(1);
      expect(parts[0] - parts[parts.length - 1]).toBeLessThan(count);
    }
  });

  it('puts the remainder on the first instalment', () => {
    expect(splitAmount(1000, 3)).toEqual([334, 333, 333]);
    expect(splitAmount(1001, 4)).toEqual([251, 250, 250, 250]);
    expect(splitAmount(7, 7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(installmentAmount(9_999, 1, 1)).toBe(9_999);
  });

  it('refuses amounts that cannot give every instalment a positive amount', () => {
    expect(() => splitAmount(2, 3)).toThrow(RangeError);
    expect(() => splitAmount(10.5, 2)).toThrow(RangeError);
  });

  it('schedules instalment n at n intervals after the order day', () => {
    expect(dueDay(20_000, 14, 1)).toBe(20_014);
    expect(dueDay(20_000, 30, 6)).toBe(20_180);
  });
});
