import { visibleIn } from './pg-logical-change-feed';

describe('visibleIn (32-bit xid against a 64-bit snapshot)', () => {
  const epoch = (e: bigint, low: number) => (e << 32n) | BigInt(low);

  it('is visible below xmax and not in progress', () => {
    expect(visibleIn(100, 105n, [])).toBe(true);
    expect(visibleIn(100, 105n, ['100'])).toBe(false);
    expect(visibleIn(104, 105n, ['103'])).toBe(true);
  });

  it('is not visible at or above xmax (not yet ended for new snapshots)', () => {
    // A 32-bit xid equal to xmax's low bits is taken as the previous epoch's, which is far in the past:
    // only happens after 4 billion transactions, so an xid at xmax is reported as not visible by the
    // in-progress list in practice; here the xid above xmax wraps to the previous epoch.
    expect(visibleIn(106, epoch(3n, 105), [])).toBe(true); // 2^32 transactions ago: long visible
    expect(visibleIn(105, epoch(0n, 105), [])).toBe(false); // would be xmax - 2^32 < 0: not a real xid
  });

  it('finds the epoch from xmax, across a wraparound of the low bits', () => {
    const xmax = epoch(2n, 5);
    const justBefore = 0xfffffff0; // committed just before the low bits wrapped
    expect(visibleIn(justBefore, xmax, [])).toBe(true);
    expect(visibleIn(justBefore, xmax, [epoch(1n, justBefore).toString()])).toBe(false);
    expect(visibleIn(3, xmax, [epoch(2n, 3).toString()])).toBe(false);
    expect(visibleIn(3, xmax, [])).toBe(true);
  });
});
