import { InvalidScheduleError } from '../errors/invalid-schedule.error';

/** A wall-clock minute (no time zone): what a cron expression is matched against. */
export interface WallTime {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
  /** 0-23. */
  readonly hour: number;
  /** 0-59. */
  readonly minute: number;
  /** 0 (Sunday) - 6 (Saturday). */
  readonly weekday: number;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in Vixie cron and Cloud Scheduler's unix-cron.
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Longer expressions are not cron: a bound keeps a malicious config from costing time. */
const MAX_LENGTH = 200;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), the unix-cron format Cloud
 * Scheduler takes: `*`, values, ranges `a-b`, steps `*\/n`, `a-b/n` and `a/n` (a to the field's end), lists
 * `a,b-c`, month and weekday names (`JAN`, `MON-FRI`), weekday 0 or 7 for Sunday. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted (neither starts with `*`) a day matches if either does.
 * Macros (`@daily`) and six-field (seconds) expressions are rejected: Cloud Scheduler takes neither.
 */
export class CronExpression {
  private constructor(
    readonly source: string,
    private readonly minutes: readonly number[],
    private readonly hours: readonly number[],
    private readonly days: ReadonlySet<number>,
    private readonly months: ReadonlySet<number>,
    private readonly weekdays: ReadonlySet<number>,
    /** How day-of-month and day-of-week combine (see the class comment). */
    private readonly dayRule: 'both-any' | 'day-of-month' | 'day-of-week' | 'either',
  ) {}

  /** Parses an expression; throws InvalidScheduleError naming the field and the problem. */
  static parse(text: string): CronExpression {
    if (typeof text !== 'string') throw new InvalidScheduleError(`a cron expression must be a string, got ${typeof text}`);
    if (text.length > MAX_LENGTH) throw new InvalidScheduleError(`the cron expression is longer than ${MAX_LENGTH} characters`);
    const trimmed = text.trim();
    if (trimmed.startsWith('@')) throw new InvalidScheduleError(`"${trimmed}": macros are not supported; write the five fields (minute hour day-of-month month day-of-week)`);
    const parts = trimmed.split(/\s+/);
    if (parts.length !== 5) throw new InvalidScheduleError(`"${trimmed}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; a cron expression has five (minute hour day-of-month month day-of-week)`);
    const [minutes, hours, days, months, weekdays] = parts.map((part, i) => parseField(part, FIELDS[i]));
    // Sunday is both 0 and 7.
    if (weekdays.has(7)) weekdays.add(0);
    weekdays.delete(7);
    const domAny = parts[2].startsWith('*');
    const dowAny = parts[4].startsWith('*');
    const dayRule = domAny && dowAny ? 'both-any' : domAny ? 'day-of-week' : dowAny ? 'day-of-month' : 'either';
    return new CronExpression(parts.join(' '), sorted(minutes), sorted(hours), days, months, weekdays, dayRule);
  }

  matches(t: WallTime): boolean {
    return this.months.has(t.month) && this.dayMatches(t.day, t.weekday) && this.hours.includes(t.hour) && this.minutes.includes(t.minute);
  }

  monthMatches(month: number): boolean {
    return this.months.has(month);
  }

  dayMatches(day: number, weekday: number): boolean {
    switch (this.dayRule) {
      case 'both-any':
        return true;
      case 'day-of-month':
        return this.days.has(day);
      case 'day-of-week':
        return this.weekdays.has(weekday);
      case 'either':
        return this.days.has(day) || this.weekdays.has(weekday);
    }
  }

  /** The first matching hour >= `hour`, or null. */
  hourAtOrAfter(hour: number): number | null {
    return this.hours.find((h) => h >= hour) ?? null;
  }

  /** The last matching hour <= `hour`, or null. */
  hourAtOrBefore(hour: number): number | null {
    return this.hours.findLast((h) => h <= hour) ?? null;
  }

  minuteAtOrAfter(minute: number): number | null {
    return this.minutes.find((m) => m >= minute) ?? null;
  }

  minuteAtOrBefore(minute: number): number | null {
    return this.minutes.findLast((m) => m <= minute) ?? null;
  }

  toString(): string {
    return this.source;
  }
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new InvalidScheduleError(`${spec.name} field "${text}": empty list item`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new InvalidScheduleError(`${spec.name} field "${item}": more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new InvalidScheduleError(`${spec.name} field "${item}": the step must be a positive integer`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw new InvalidScheduleError(`${spec.name} field "${item}": a range has one "-"`);
      [from, to] = [value(a, spec, item), value(b, spec, item)];
      if (from > to) throw new InvalidScheduleError(`${spec.name} field "${item}": the range is reversed (${from} > ${to})`);
    } else {
      from = value(range, spec, item);
      // `a/n` runs from a to the end of the field; a plain value is itself.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function value(text: string, spec: FieldSpec, item: string): number {
  const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  // Month names count from 1, weekday names from 0 (Sunday).
  if (byName >= 0) return spec.name === 'month' ? byName + 1 : byName;
  if (!/^\d+$/.test(text)) throw new InvalidScheduleError(`${spec.name} field "${item}": "${text}" is not a number${spec.names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new InvalidScheduleError(`${spec.name} field "${item}": ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

const sorted = (values: Set<number>) => [...values].sort((a, b) => a - b);
