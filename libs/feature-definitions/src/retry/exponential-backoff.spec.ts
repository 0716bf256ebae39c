import { exponentialBackoff } from './exponential-backoff';

const first = (schedule: (attempt: number) => number, n: number): number[] => Array.from({ length: n }, (_, attempt) => schedule(attempt));

/** The loop the retrying classes used to write by hand: wait, then `wait = Math.min(wait * 2, max)`. */
const doublingLoop = (initialMs: number, maxMs: number, n: number): number[] => {
  const waits: number[] = [];
  for (let wait = initialMs; waits.length < n; wait = Math.min(wait * 2, maxMs)) waits.push(wait);
  return waits;
};

describe('exponentialBackoff', () => {
  it('starts at initialMs, doubles by default and stops growing at maxMs', () => {
    expect(first(exponentialBackoff({ initialMs: 1_000, maxMs: 30_000 }), 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it.each([
    [100, 5_000],
    [1, 2],
    [1_000, 30_000],
    [50, 5_000],
    [10_000, 5_000],
    [0, 5_000],
  ])('gives the same waits as the doubling loop from %d ms up to %d ms', (initialMs, maxMs) => {
    expect(first(exponentialBackoff({ initialMs, maxMs }), 40)).toEqual(doublingLoop(initialMs, maxMs, 40));
  });

  it("gives the source database's reconnect waits: min(250 * 2 ** min(n, 5), 5000) for attempt n = 1, 2, ...", () => {
    const schedule = exponentialBackoff({ initialMs: 500, maxMs: 5_000 });
    for (let n = 1; n <= 30; n++) expect(schedule(n - 1)).toBe(Math.min(250 * 2 ** Math.min(n, 5), 5_000));
  });

  it('grows by another factor', () => {
    expect(first(exponentialBackoff({ initialMs: 10, maxMs: 1_000, factor: 3 }), 6)).toEqual([10, 30, 90, 270, 810, 1_000]);
    expect(first(exponentialBackoff({ initialMs: 10, maxMs: 1_000, factor: 1 }), 3)).toEqual([10, 10, 10]);
  });

  it('stays at maxMs (and a zero wait at zero) after any number of attempts', () => {
    expect(exponentialBackoff({ initialMs: 100, maxMs: 5_000 })(1_000_000)).toBe(5_000);
    expect(exponentialBackoff({ initialMs: 100, maxMs: 5_000, factor: 10 })(Number.MAX_SAFE_INTEGER)).toBe(5_000);
    expect(exponentialBackoff({ initialMs: 0, maxMs: 5_000 })(1_000_000)).toBe(0);
  });

  it('refuses options that would give no sensible wait, naming the option', () => {
    expect(() => exponentialBackoff({ initialMs: -1, maxMs: 5_000 })).toThrow(new RangeError('backoff initialMs must be a finite number >= 0, got -1'));
    expect(() => exponentialBackoff({ initialMs: 100, maxMs: Number.NaN })).toThrow(/backoff maxMs must be a finite number >= 0, got NaN/);
    expect(() => exponentialBackoff({ initialMs: 100, maxMs: Infinity })).toThrow(/backoff maxMs/);
    expect(() => exponentialBackoff({ initialMs: 100, maxMs: 5_000, factor: 0.5 })).toThrow(/backoff factor must be a finite number >= 1, got 0.5/);
  });

  it('refuses an attempt that is not a count', () => {
    const schedule = exponentialBackoff({ initialMs: 100, maxMs: 5_000 });
    expect(() => schedule(-1)).toThrow(new RangeError('backoff attempt must be an integer >= 0, got -1'));
    expect(() => schedule(1.5)).toThrow(RangeError);
  });
});
