/**
 * Time in the model is integers: instants are seconds since the Unix epoch (UTC), calendar dates are
 * days since the epoch. No time zones, no DST: everything is UTC.
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
