import { InvalidAsOfError } from '../errors/invalid-argument.error';

const MS_PER_DAY = 86_400_000;

/**
 * Day numbers: whole UTC days since 1970-01-01 (day 0). All window arithmetic is done on them, so it is
 * exact and free of time zones and DST.
 */
export type DayNumber = number;

/** The UTC day of an instant (floor, so instants before 1970 work too). */
export function utcDayNumber(instant: Date | number): DayNumber {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return Math.floor(ms / MS_PER_DAY);
}

/** Day number of a `YYYY-MM-DD` calendar date; undefined when malformed or not a real date. */
export function dayNumberOfDate(date: string): DayNumber | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const dayOfMonth = Number(m[3]);
  // Checked by hand rather than by formatting the result back (a hot path of the streaming path):
  // Date.UTC would roll 2025-02-30 over to March.
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDayNumber(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The as-of instant's UTC day; throws InvalidAsOfError for an invalid Date. */
export function asOfDayNumber(asOf: Date): DayNumber {
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new InvalidAsOfError(asOf);
  return utcDayNumber(asOf);
}

/**
 * True when an event on UTC day `eventDay` is inside a window of `windowDays` days as of UTC day
 * `asOfDay`: `asOfDay - windowDays < eventDay <= asOfDay`. The window is the as-of day and the
 * `windowDays - 1` days before it; future days are outside.
 */
export function isInWindow(eventDay: DayNumber, asOfDay: DayNumber, windowDays: number): boolean {
  return eventDay > asOfDay - windowDays && eventDay <= asOfDay;
}

/** First and last UTC day (inclusive) of a window as of `asOfDay`, e.g. for tile reads. */
export function windowDayRange(asOfDay: DayNumber, windowDays: number): { readonly first: DayNumber; readonly last: DayNumber } {
  return { first: asOfDay - windowDays + 1, last: asOfDay };
}
