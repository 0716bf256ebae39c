import { dayNumberOfDate, formatDayNumber, isInWindow, utcDayNumber, windowDayRange } from './window';

describe('window arithmetic', () => {
  const asOf = utcDayNumber(new Date('2025-03-15T10:00:00Z'));

  it('numbers UTC days, including before 1970', () => {
    expect(utcDayNumber(new Date('1970-01-01T23:59:59.999Z'))).toBe(0);
    expect(utcDayNumber(new Date('1969-12-31T23:59:59.999Z'))).toBe(-1);
    expect(dayNumberOfDate('2025-03-15')).toBe(asOf);
    expect(dayNumberOfDate('2025-02-30')).toBeUndefined();
    expect(formatDayNumber(asOf)).toBe('2025-03-15');
  });

  it('a 7-day window as of 2025-03-15 is 2025-03-09 .. 2025-03-15', () => {
    const { first, last } = windowDayRange(asOf, 7);
    expect([formatDayNumber(first), formatDayNumber(last)]).toEqual(['2025-03-09', '2025-03-15']);
    expect(isInWindow(first, asOf, 7)).toBe(true);
    expect(isInWindow(first - 1, asOf, 7)).toBe(false);
    expect(isInWindow(asOf, asOf, 7)).toBe(true);
    expect(isInWindow(asOf + 1, asOf, 7)).toBe(false);
  });
});
