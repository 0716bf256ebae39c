import { awayFromUtcMidnight } from './utc-day';

describe('awayFromUtcMidnight', () => {
  const at = (iso: string) => () => Date.parse(iso);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(() => sleeps.splice(0));

  it('returns at once when the span ends before the next UTC midnight', async () => {
    await expect(awayFromUtcMidnight(90_000, 2_000, at('2026-12-01T23:58:29.000Z'), sleep)).resolves.toBe(0);
    expect(sleeps).toEqual([]);
  });

  it('waits past the midnight the span would cross, with the margin', async () => {
    await expect(awayFromUtcMidnight(90_000, 2_000, at('2026-12-01T23:59:55.069Z'), sleep)).resolves.toBe(4_931 + 2_000);
    expect(sleeps).toEqual([6_931]);
  });

  it('counts a span ending exactly at midnight as crossing it', async () => {
    await expect(awayFromUtcMidnight(60_000, 0, at('2026-12-01T23:59:00.000Z'), sleep)).resolves.toBe(60_000);
  });
});
