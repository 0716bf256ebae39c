import { InvalidScheduleError } from '../errors/invalid-schedule.error';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/UCT', 'UCT', 'Etc/Zulu', 'Zulu', 'Etc/Universal', 'Universal']);
const cache = new Map<string, TimeZone>();

/**
 * An IANA time zone, from the runtime's own tz database (`Intl.DateTimeFormat`): instants to wall-clock
 * minutes and back. A wall-clock minute is written as "wall ms": `Date.UTC` of its fields, so that calendar
 * arithmetic on it is plain `Date` UTC arithmetic.
 */
export class TimeZone {
  private constructor(
    readonly name: string,
    private readonly format: Intl.DateTimeFormat | null,
  ) {}

  /** The zone called `name` (e.g. `Europe/London`, `Etc/UTC`); throws InvalidScheduleError for an unknown one. */
  static of(name: string): TimeZone {
    const known = cache.get(name);
    if (known) return known;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) throw new InvalidScheduleError(`"${String(name)}" is not a time zone: give an IANA name such as Europe/London or Etc/UTC`);
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidScheduleError(`"${name}" is not a time zone this runtime knows: give an IANA name such as Europe/London or Etc/UTC`);
    }
    const zone = new TimeZone(name, UTC_NAMES.has(format.resolvedOptions().timeZone) ? null : format);
    cache.set(name, zone);
    return zone;
  }

  /** The wall-clock minute of an instant, as wall ms (seconds dropped). */
  wallOf(instantMs: number): number {
    const wall = this.wallWithSeconds(instantMs);
    return Math.floor(wall / MINUTE_MS) * MINUTE_MS;
  }

  /** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
  offsetAt(instantMs: number): number {
    return this.wallWithSeconds(instantMs) - Math.floor(instantMs / 1000) * 1000;
  }

  /**
   * The earliest instant whose wall-clock minute is `wallMs`, or null when the zone skips it (the hour
   * clocks jump over in spring). A minute the zone repeats (the hour clocks go back over in autumn) maps
   * to its first occurrence only, so each wall-clock minute is at most one instant and instants keep the
   * order of their wall times.
   */
  instantOf(wallMs: number): number | null {
    if (!this.format) return wallMs;
    // The offsets before and after any transition near this wall time (zones change at most once a day).
    const offsets = new Set([this.offsetAt(wallMs - DAY_MS), this.offsetAt(wallMs), this.offsetAt(wallMs + DAY_MS)]);
    let earliest: number | null = null;
    for (const offset of offsets) {
      const instant = wallMs - offset;
      if (this.wallOf(instant) === wallMs && (earliest === null || instant < earliest)) earliest = instant;
    }
    return earliest;
  }

  private wallWithSeconds(instantMs: number): number {
    if (!this.format) return Math.floor(instantMs / 1000) * 1000;
    const f: Record<string, number> = {};
    for (const part of this.format.formatToParts(instantMs)) if (part.type !== 'literal') f[part.type] = Number(part.value);
    // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
    const wall = new Date(Date.UTC(2000, f.month - 1, f.day, f.hour, f.minute, f.second));
    wall.setUTCFullYear(f.year);
    return wall.getTime();
  }
}
