import fc from 'fast-check';
import { InvalidScheduleError } from '../errors/invalid-schedule.error';
import { CronExpression } from './cron-expression';
import { CronSchedule } from './cron-schedule';
import { TimeZone } from './time-zone';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
/** The next `n` due instants after `from`, as ISO strings. */
const nextN = (s: CronSchedule, from: string, n: number) => {
  const out: string[] = [];
  let t: Date | null = at(from);
  while (out.length < n && (t = s.nextAfter(t))) out.push(t.toISOString());
  return out;
};

describe('CronExpression.parse', () => {
  it.each([
    ['', /has 1 field; a cron expression has five/],
    ['* * * *', /has 4 fields/],
    ['0 * * * * *', /has 6 fields/],
    ['@daily', /macros are not supported/],
    ['60 * * * *', /minute field "60": 60 is outside 0-59/],
    ['* 24 * * *', /hour field "24": 24 is outside 0-23/],
    ['* * 0 * *', /day-of-month field "0": 0 is outside 1-31/],
    ['* * * 13 *', /month field "13": 13 is outside 1-12/],
    ['* * * * 8', /day-of-week field "8": 8 is outside 0-7/],
    ['5-1 * * * *', /the range is reversed \(5 > 1\)/],
    ['*/0 * * * *', /the step must be a positive integer/],
    ['*/x * * * *', /the step must be a positive integer/],
    ['1/2/3 * * * *', /more than one "\/"/],
    ['1-2-3 * * * *', /a range has one "-"/],
    ['1,,2 * * * *', /empty list item/],
    ['a * * * *', /"a" is not a number$/],
    ['* * * FOO *', /"FOO" is not a number or a name/],
    ['-1 * * * *', /minute field "-1"/],
    ['x'.repeat(201), /longer than 200 characters/],
  ])('rejects %j naming the problem', (cron, message) => {
    expect(() => CronExpression.parse(cron)).toThrow(InvalidScheduleError);
    expect(() => CronExpression.parse(cron)).toThrow(message);
  });

  it('accepts names, steps, ranges, lists and both Sundays', () => {
    const e = CronExpression.parse(' 0,30  9-17/4 * jan-MAR,dec mon-fri ');
    expect(e.source).toBe('0,30 9-17/4 * jan-MAR,dec mon-fri');
    const wall = { year: 2026, month: 1, day: 5, hour: 13, minute: 30, weekday: 1 };
    expect(e.matches(wall)).toBe(true);
    expect(e.matches({ ...wall, hour: 11 })).toBe(false); // 9, 13, 17
    expect(e.matches({ ...wall, month: 4 })).toBe(false);
    expect(e.matches({ ...wall, weekday: 0 })).toBe(false);
    const sunday = { ...wall, day: 4, hour: 0, minute: 0, weekday: 0 };
    expect(CronExpression.parse('0 0 * * 7').matches(sunday)).toBe(true);
    expect(CronExpression.parse('0 0 * * 0').matches(sunday)).toBe(true);
    expect(CronExpression.parse('0 0 * * 1-7').matches(sunday)).toBe(true);
    // a/n runs to the end of the field.
    expect([0, 1, 2, 3].map((h) => CronExpression.parse('0 1/2 * * *').matches({ ...wall, hour: h, minute: 0 }))).toEqual([false, true, false, true]);
  });

  it('combines day-of-month and day-of-week as Vixie cron does: either, when both are restricted', () => {
    const monday13th = { year: 2026, month: 4, day: 13, hour: 0, minute: 0, weekday: 1 };
    const friday13th = { ...monday13th, day: 13, weekday: 5 };
    const friday10th = { ...monday13th, day: 10, weekday: 5 };
    const either = CronExpression.parse('0 0 13 * 5');
    expect([monday13th, friday13th, friday10th].map((w) => either.matches(w))).toEqual([true, true, true]);
    expect(either.matches({ ...monday13th, day: 14, weekday: 2 })).toBe(false);
    const domOnly = CronExpression.parse('0 0 13 * *');
    expect([monday13th, friday10th].map((w) => domOnly.matches(w))).toEqual([true, false]);
    // A weekday field starting with * leaves the day of month alone.
    expect(CronExpression.parse('0 0 13 * */2').matches(friday10th)).toBe(false);
  });
});

describe('TimeZone', () => {
  it('rejects unknown zones', () => {
    for (const name of ['Mars/Olympus', '', 'Europe/Londn']) expect(() => TimeZone.of(name)).toThrow(/is not a time zone/);
  });

  it('maps instants to wall-clock minutes and back, with offsets', () => {
    const london = TimeZone.of('Europe/London');
    expect(new Date(london.wallOf(Date.parse('2026-07-01T12:34:56Z'))).toISOString()).toBe('2026-07-01T13:34:00.000Z');
    expect(london.offsetAt(Date.parse('2026-01-01T00:00:00Z'))).toBe(0);
    expect(TimeZone.of('Asia/Kolkata').offsetAt(Date.parse('2026-01-01T00:00:00Z'))).toBe(5.5 * 3_600_000);
    expect(iso(new Date(london.instantOf(Date.UTC(2026, 6, 1, 13, 34)) ?? NaN))).toBe('2026-07-01T12:34:00.000Z');
  });

  it('has no instant for a skipped minute and the first occurrence of a repeated one', () => {
    const london = TimeZone.of('Europe/London');
    expect(london.instantOf(Date.UTC(2026, 2, 29, 1, 30))).toBeNull();
    expect(new Date(london.instantOf(Date.UTC(2026, 9, 25, 1, 30)) ?? NaN).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('CronSchedule', () => {
  it('rejects an expression that never matches', () => {
    expect(() => CronSchedule.parse('0 0 30 2 *', 'Etc/UTC')).toThrow(/never matches a date/);
    expect(() => CronSchedule.parse('0 0 29 2 *', 'Etc/UTC')).not.toThrow();
  });

  it('steps through minutes, hours, days, months and leap days in UTC', () => {
    expect(nextN(CronSchedule.parse('*/15 * * * *', 'Etc/UTC'), '2026-12-31T23:20:00Z', 3)).toEqual(['2026-12-31T23:30:00.000Z', '2026-12-31T23:45:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(nextN(CronSchedule.parse('0 0 31 * *', 'UTC'), '2026-01-31T00:00:00Z', 3)).toEqual(['2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z']);
    expect(nextN(CronSchedule.parse('0 12 29 2 *', 'Etc/UTC'), '2026-01-01T00:00:00Z', 2)).toEqual(['2028-02-29T12:00:00.000Z', '2032-02-29T12:00:00.000Z']);
    expect(nextN(CronSchedule.parse('0 9 * * MON-FRI', 'Etc/UTC'), '2026-12-04T09:00:00Z', 2)).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-08T09:00:00.000Z']);
  });

  it('is due strictly after the given instant, and at or before it for the latest', () => {
    const hourly = CronSchedule.parse('15 * * * *', 'Etc/UTC');
    expect(iso(hourly.nextAfter(at('2026-12-01T10:15:00Z')))).toBe('2026-12-01T11:15:00.000Z');
    expect(iso(hourly.nextAfter(at('2026-12-01T10:14:59.999Z')))).toBe('2026-12-01T10:15:00.000Z');
    expect(iso(hourly.latestAtOrBefore(at('2026-12-01T10:15:00Z')))).toBe('2026-12-01T10:15:00.000Z');
    expect(iso(hourly.latestAtOrBefore(at('2026-12-01T10:14:59.999Z')))).toBe('2026-12-01T09:15:00.000Z');
    expect(hourly.countBetween(at('2026-12-01T10:15:00Z'), at('2026-12-01T13:15:00Z'), 100)).toBe(3);
    expect(hourly.countBetween(at('2026-12-01T10:15:00Z'), at('2026-12-02T10:15:00Z'), 5)).toBe(5);
  });

  it('follows the wall clock of its time zone across daylight-saving changes', () => {
    const nightly = CronSchedule.parse('30 2 * * *', 'Europe/London');
    // 02:30 local is 01:30 UTC in summer and 02:30 UTC in winter.
    expect(nextN(nightly, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T02:30:00.000Z', '2026-10-26T02:30:00.000Z']);
    expect(nextN(nightly, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T01:30:00.000Z']);
    // 01:30 local does not exist on 29 March (skipped) and happens twice on 25 October (due once).
    const early = CronSchedule.parse('30 1 * * *', 'Europe/London');
    expect(nextN(early, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    expect(nextN(early, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    // Inside the repeated hour (its second occurrence), the latest due instant is its first occurrence.
    expect(iso(early.latestAtOrBefore(at('2026-10-25T01:45:00Z')))).toBe('2026-10-25T00:30:00.000Z');
    const quarterly = CronSchedule.parse('*/15 * * * *', 'Europe/London');
    expect(iso(quarterly.latestAtOrBefore(at('2026-10-25T01:20:00Z')))).toBe('2026-10-25T00:45:00.000Z');
    expect(iso(quarterly.nextAfter(at('2026-10-25T01:20:00Z')))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('handles half-hour offsets and half-hour daylight saving', () => {
    expect(nextN(CronSchedule.parse('0 9 * * *', 'Asia/Kolkata'), '2026-06-01T00:00:00Z', 1)).toEqual(['2026-06-01T03:30:00.000Z']);
    // Lord Howe Island moves its clocks by 30 minutes (02:00 -> 02:30 on 4 October 2026): 02:15 is skipped that day.
    expect(nextN(CronSchedule.parse('15 2 * * *', 'Australia/Lord_Howe'), '2026-10-02T12:00:00Z', 3)).toEqual(['2026-10-02T15:45:00.000Z', '2026-10-04T15:15:00.000Z', '2026-10-05T15:15:00.000Z']);
  });

  describe('agrees with a minute-by-minute oracle', () => {
    /** Due instants by brute force: every UTC minute whose local minute matches, at its first occurrence. */
    const oracle = (cron: string, zone: string, from: number, to: number) => {
      const e = CronExpression.parse(cron);
      const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
      const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
      const seen = new Set<string>();
      const due: string[] = [];
      for (let m = Math.floor(from / 60_000) * 60_000 - 6 * 3_600_000; m <= to; m += 60_000) {
        const p = Object.fromEntries(f.formatToParts(m).map((x) => [x.type, x.value]));
        const key = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
        const first = !seen.has(key);
        seen.add(key);
        const wall = { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, weekday: weekdays.indexOf(p.weekday) };
        if (m > from && first && e.matches(wall)) due.push(new Date(m).toISOString());
      }
      return due;
    };
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 2, max: 7 }).map((n) => `*/${n}`),
        fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((xs) => xs.join(',')),
      );
    const cron = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)).map((f) => f.join(' '));
    const zones = fc.constantFrom('Etc/UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago');
    // Windows of two days around the year, including the daylight-saving changes.
    const start = fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2027, 0, 1) / 60_000 }).map((m) => m * 60_000 + 17_000);

    it('nextAfter, latestAtOrBefore and countBetween', () => {
      fc.assert(
        fc.property(cron, zones, start, (expression, zone, from) => {
          const to = from + 2 * 86_400_000;
          const expected = oracle(expression, zone, from, to);
          let schedule: CronSchedule;
          try {
            schedule = CronSchedule.parse(expression, zone);
          } catch (error) {
            // Only an impossible date (the 31st of April) is refused, and the oracle finds none either.
            expect({ message: (error as Error).message, expected }).toEqual({ message: expect.stringMatching(/never matches a date$/), expected: [] });
            return;
          }
          const got: string[] = [];
          for (let t = schedule.nextAfter(new Date(from)); t && t.getTime() <= to; t = schedule.nextAfter(t)) got.push(t.toISOString());
          expect(got).toEqual(expected);
          expect(schedule.countBetween(new Date(from), new Date(to), 10_000)).toBe(expected.length);
          if (expected.length > 0) expect(iso(schedule.latestAtOrBefore(new Date(to)))).toBe(expected.at(-1));
        }),
        { numRuns: 60 },
      );
    }, 60_000);
  });
});
