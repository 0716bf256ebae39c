import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { InvalidScheduleError } from '../errors/invalid-schedule.error';
import { parseSchedules } from './parse-schedules';
import { definitionChanged, scheduledJobBody, timingChanged } from './schedule-definition';

const NOW = new Date('2026-12-01T10:00:00Z');
const parse = (input: unknown) => parseSchedules(input, bnplCatalog, NOW);
const valid = { name: 'nightly', cron: '30 2 * * *', time_zone: 'Europe/London', job: { feature_service: 'credit_decision_v1' } };

describe('parseSchedules', () => {
  it('reads the schedules file of this repository (deploy/job-schedules.json)', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../deploy/job-schedules.json'), 'utf8')) as unknown;
    const schedules = parse(file);
    expect(schedules.length).toBeGreaterThan(0);
    for (const s of schedules) expect(s.description).not.toBe('');
  });

  it('fills in the defaults Terraform fills in (Etc/UTC, not paused, no description)', () => {
    expect(parse([{ name: 'hourly', cron: '15  * * * *', job: { incremental: true } }])).toEqual([
      { name: 'hourly', description: '', cron: '15 * * * *', timeZone: 'Etc/UTC', paused: false, job: { incremental: true } },
    ]);
    expect(parse([{ ...valid, description: 'nightly full', paused: true, job: { views: ['customer_profile'], incremental: false, shard_size: 10_000 } }])).toEqual([
      { name: 'nightly', description: 'nightly full', cron: '30 2 * * *', timeZone: 'Europe/London', paused: true, job: { views: ['customer_profile'], incremental: false, shardSize: 10_000 } },
    ]);
  });

  it.each([
    [{ not: 'an array' }, /must be a JSON array/],
    [Array.from({ length: 101 }, (_, i) => ({ ...valid, name: `s${i}` })), /101 schedules; at most 100/],
    [['nope'], /schedule 1: must be an object/],
    [[{ ...valid, name: 'bad name!' }], /schedule 1 \("bad name!"\): "name" must be 1-100 letters/],
    [[valid, { ...valid }], /schedule 2 \("nightly"\): the name is used twice/],
    [[{ ...valid, cron: '30 2 * *' }], /schedule 1 \("nightly"\): cron: "30 2 \* \*" has 4 fields/],
    [[{ ...valid, cron: 5 }], /"cron" must be a five-field cron expression/],
    [[{ ...valid, time_zone: 'Europe/Lndon' }], /cron: "Europe\/Lndon" is not a time zone/],
    [[{ ...valid, paused: 'yes' }], /"paused" must be true or false/],
    [[{ ...valid, description: 'x'.repeat(501) }], /"description" must be a string of at most 500/],
    [[{ ...valid, timezone: 'UTC' }], /unknown field "timezone"; expected name, description, cron, time_zone, paused, job/],
    [[{ ...valid, job: undefined }], /"job" must be an object/],
    [[{ ...valid, job: { kind: 'backfill', from: '2026-01-01' } }], /unknown fields "job.kind", "job.from"; .* \(a scheduled job is always a materialization\)/],
    [[{ ...valid, job: { views: ['customer_nope'] } }], /schedule 1 \("nightly"\): job: .*customer_nope/],
    [[{ ...valid, job: { feature_service: 'credit_decision_v1', views: ['customer_profile'] } }], /job: Give "views" or "feature_service", not both/],
    [[{ ...valid, job: { shard_size: 0 } }], /job: "shard_size" must be an integer from 1/],
    [[{ ...valid, job: { views: 'customer_profile' } }], /"job.views" must be an array of view names/],
    [[{ ...valid, job: { incremental: 'yes' } }], /"job.incremental" must be true or false/],
  ])('rejects %j, naming the schedule and the problem', (input, message) => {
    expect(() => parse(input)).toThrow(InvalidScheduleError);
    expect(() => parse(input)).toThrow(message);
  });
});

describe('schedule definitions', () => {
  const [nightly] = parse([{ ...valid, description: 'd', job: { views: ['customer_profile'], incremental: true, shard_size: 100 } }]);

  it('give the POST /v1/jobs body each run submits', () => {
    expect(scheduledJobBody(nightly.job)).toEqual({ kind: 'materialize', views: ['customer_profile'], incremental: true, shard_size: 100 });
    expect(scheduledJobBody({})).toEqual({ kind: 'materialize' });
  });

  it('tell a timing change from any other change', () => {
    expect(timingChanged(nightly, { ...nightly, timeZone: 'Etc/UTC' })).toBe(true);
    expect(timingChanged(nightly, { ...nightly, paused: true })).toBe(true);
    expect(timingChanged(nightly, { ...nightly, description: 'other' })).toBe(false);
    expect(definitionChanged(nightly, { ...nightly, description: 'other' })).toBe(true);
    expect(definitionChanged(nightly, { ...nightly, job: { ...nightly.job, shardSize: 101 } })).toBe(true);
    expect(definitionChanged(nightly, { ...nightly, job: { ...nightly.job } })).toBe(false);
  });
});
