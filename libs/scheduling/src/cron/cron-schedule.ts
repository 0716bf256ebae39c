import { InvalidScheduleError } from '../errors/invalid-schedule.error';
import { CronExpression } from './cron-expression';
import { TimeZone } from './time-zone';

const MINUTE_MS = 60_000;
/** How far the search for a matching minute goes; an expression matching nothing this long matches nothing (`0 0 30 2 *`). */
const HORIZON_MS = 10 * 366 * 86_400_000;

/**
 * A cron expression in a time zone: the instants it is due. An instant is due when its wall-clock minute
 * in the zone matches the expression. Around daylight-saving changes: a minute the zone skips (spring) is
 * never due, and a minute it repeats (autumn) is due once, at its first occurrence; schedule daily jobs
 * outside 01:00-03:00 local time, or in `Etc/UTC`, to avoid both.
 */
export class CronSchedule {
  private constructor(
    readonly expression: CronExpression,
    readonly zone: TimeZone,
  ) {}

  /** Throws InvalidScheduleError for a bad expression or zone, or an expression that never matches. */
  static parse(cron: string, timeZone: string): CronSchedule {
    const schedule = new CronSchedule(CronExpression.parse(cron), TimeZone.of(timeZone));
    if (schedule.nextWallAtOrAfter(Date.UTC(2000, 0, 1)) === null) throw new InvalidScheduleError(`"${cron}" never matches a date`);
    return schedule;
  }

  /** The first due instant strictly after `after`, or null if there is none within ten years. */
  nextAfter(after: Date): Date | null {
    const t = after.getTime();
    let wall = this.zone.wallOf(t);
    for (;;) {
      const next = this.nextWallAtOrAfter(wall);
      if (next === null) return null;
      const instant = this.zone.instantOf(next);
      // A skipped minute has no instant; a repeated one's first occurrence may lie before `after`.
      if (instant !== null && instant > t) return new Date(instant);
      wall = next + MINUTE_MS;
    }
  }

  /** The last due instant at or before `at`, or null if there is none within ten years before it. */
  latestAtOrBefore(at: Date): Date | null {
    const t = at.getTime();
    // Instants keep the order of their wall times (see TimeZone.instantOf): the latest due instant <= t is
    // the matching minute just before the first one due after t.
    const next = this.nextAfter(at);
    let wall = next ? this.zone.wallOf(next.getTime()) - MINUTE_MS : this.zone.wallOf(t) + 3 * 3_600_000;
    for (;;) {
      const previous = this.prevWallAtOrBefore(wall);
      if (previous === null) return null;
      const instant = this.zone.instantOf(previous);
      if (instant !== null && instant <= t) return new Date(instant);
      wall = previous - MINUTE_MS;
    }
  }

  /** How many instants are due in (after, until], counting up to `cap`. */
  countBetween(after: Date, until: Date, cap: number): number {
    let count = 0;
    for (let next = this.nextAfter(after); next && next <= until && count < cap; next = this.nextAfter(next)) count++;
    return count;
  }

  /** The first matching wall-clock minute >= `wall` (wall ms), or null past the horizon. */
  private nextWallAtOrAfter(wall: number): number | null {
    const e = this.expression;
    const limit = wall + HORIZON_MS;
    let w = Math.ceil(wall / MINUTE_MS) * MINUTE_MS;
    while (w <= limit) {
      const d = new Date(w);
      const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
      if (!e.monthMatches(mo + 1)) {
        w = Date.UTC(y, mo + 1, 1);
        continue;
      }
      const hour = e.dayMatches(day, d.getUTCDay()) ? e.hourAtOrAfter(h) : null;
      if (hour === null) {
        w = Date.UTC(y, mo, day + 1);
        continue;
      }
      if (hour !== h) {
        w = Date.UTC(y, mo, day, hour);
        continue;
      }
      const minute = e.minuteAtOrAfter(mi);
      if (minute === null) {
        w = Date.UTC(y, mo, day, h + 1);
        continue;
      }
      return Date.UTC(y, mo, day, h, minute);
    }
    return null;
  }

  /** The last matching wall-clock minute <= `wall`, or null past the horizon. */
  private prevWallAtOrBefore(wall: number): number | null {
    const e = this.expression;
    const limit = wall - HORIZON_MS;
    let w = Math.floor(wall / MINUTE_MS) * MINUTE_MS;
    while (w >= limit) {
      const d = new Date(w);
      const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
      if (!e.monthMatches(mo + 1)) {
        w = Date.UTC(y, mo, 1) - MINUTE_MS;
        continue;
      }
      const hour = e.dayMatches(day, d.getUTCDay()) ? e.hourAtOrBefore(h) : null;
      if (hour === null) {
        w = Date.UTC(y, mo, day) - MINUTE_MS;
        continue;
      }
      if (hour !== h) {
        w = Date.UTC(y, mo, day, hour, 59);
        continue;
      }
      const minute = e.minuteAtOrBefore(mi);
      if (minute === null) {
        w = Date.UTC(y, mo, day, h) - MINUTE_MS;
        continue;
      }
      return Date.UTC(y, mo, day, h, minute);
    }
    return null;
  }
}
