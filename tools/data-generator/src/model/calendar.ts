/**
 * Time in the model is integers: instants are seconds since the Unix epoch (UTC), calendar dates are
 * days since the epoch. Formatting goes through caches because tens of millions of rows carry the same
 * few thousand dates.
 */
export const SECONDS_PER_DAY = 86_400;

/** Days since the epoch of the UTC calendar day holding `date`. */
export function dayOfDate(date: Date): number {
  return Math.floor(date.getTime() / (SECONDS_PER_DAY * 1000));
}

/** The UTC midnight starting `day`. */
export function dateOfDay(day: number): Date {
  return new Date(day * SECONDS_PER_DAY * 1000);
}

// 1900-01-01 .. 2100-01-01 covers every date of birth and every business date the model produces.
const FIRST_CACHED_DAY = -25_567;
const CACHED_DAYS = 73_049;
const dayCache: (string | undefined)[] = new Array<string | undefined>(CACHED_DAYS).fill(undefined);
const timeCache: (string | undefined)[] = new Array<string | undefined>(SECONDS_PER_DAY).fill(undefined);

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  const i = day - FIRST_CACHED_DAY;
  if (i < 0 || i >= CACHED_DAYS) return dateOfDay(day).toISOString().slice(0, 10);
  let s = dayCache[i];
  if (s === undefined) {
    s = dateOfDay(day).toISOString().slice(0, 10);
    dayCache[i] = s;
  }
  return s;
}

/** `YYYY-MM-DD HH:MM:SS+00`, the cheapest timestamptz literal for PostgreSQL to parse. */
export function formatTimestamp(seconds: number): string {
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  const tod = seconds - day * SECONDS_PER_DAY;
  let t = timeCache[tod];
  if (t === undefined) {
    const h = Math.floor(tod / 3600);
    const m = Math.floor((tod % 3600) / 60);
    const s = tod % 60;
    t = ` ${pad2(h)}:${pad2(m)}:${pad2(s)}+00`;
    timeCache[tod] = t;
  }
  return formatDay(day) + t;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
