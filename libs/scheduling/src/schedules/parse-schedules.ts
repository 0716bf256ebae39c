import { validateJobRequest, type JobRequestLimits } from '@bnpl/batch';
import { FeatureStoreError, type Catalog } from '@bnpl/feature-definitions';
import { CronSchedule } from '../cron/cron-schedule';
import { InvalidScheduleError } from '../errors/invalid-schedule.error';
import { scheduledJobRequest, type ScheduleDefinition, type ScheduledJob } from './schedule-definition';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const MAX_SCHEDULES = 100;
const MAX_DESCRIPTION = 500;
const SCHEDULE_KEYS = ['name', 'description', 'cron', 'time_zone', 'paused', 'job'];
const JOB_KEYS = ['feature_service', 'views', 'incremental', 'shard_size'];

/**
 * Validates the schedules file: a JSON array of `{ name, description?, cron, time_zone? (default Etc/UTC),
 * paused? (default false), job: { feature_service?, views?, incremental?, shard_size? } }`, the shape of
 * Terraform's `job_schedules` (deploy/terraform reads the same file). Each job is validated against the
 * catalog as `POST /v1/jobs` would validate it, so that a bad schedule stops the process at start rather
 * than failing at 2 a.m. Throws InvalidScheduleError naming the schedule and the field.
 */
export function parseSchedules(input: unknown, catalog: Catalog, now: Date, limits: JobRequestLimits = {}): ScheduleDefinition[] {
  if (!Array.isArray(input)) throw new InvalidScheduleError('the schedules must be a JSON array of { name, cron, time_zone, job, ... } objects');
  if (input.length > MAX_SCHEDULES) throw new InvalidScheduleError(`${input.length} schedules; at most ${MAX_SCHEDULES}`);
  const names = new Set<string>();
  return input.map((entry, i) => {
    const where = `schedule ${i + 1}${isObject(entry) && typeof entry.name === 'string' ? ` ("${entry.name.slice(0, 100)}")` : ''}`;
    try {
      const definition = parseOne(entry, catalog, now, limits);
      if (names.has(definition.name)) throw new InvalidScheduleError(`the name is used twice`);
      names.add(definition.name);
      return definition;
    } catch (error) {
      if (error instanceof FeatureStoreError) throw new InvalidScheduleError(`${where}: ${error.message}`);
      throw error;
    }
  });
}

function parseOne(entry: unknown, catalog: Catalog, now: Date, limits: JobRequestLimits): ScheduleDefinition {
  if (!isObject(entry)) throw new InvalidScheduleError('must be an object');
  unknownKeys(entry, SCHEDULE_KEYS, '');
  const { name, description = '', cron, time_zone: timeZone = 'Etc/UTC', paused = false, job } = entry;
  if (typeof name !== 'string' || !NAME.test(name)) throw new InvalidScheduleError('"name" must be 1-100 letters, digits, "-" or "_", starting with a letter or digit');
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) throw new InvalidScheduleError(`"description" must be a string of at most ${MAX_DESCRIPTION} characters`);
  if (typeof cron !== 'string') throw new InvalidScheduleError('"cron" must be a five-field cron expression');
  if (typeof timeZone !== 'string') throw new InvalidScheduleError('"time_zone" must be an IANA time zone name');
  if (typeof paused !== 'boolean') throw new InvalidScheduleError('"paused" must be true or false');
  const schedule = prefixed('cron', () => CronSchedule.parse(cron, timeZone));
  const parsedJob = parseJob(job);
  // Checked as its runs will be submitted (JOBS_MIN_SHARD_SIZE included): a bad schedule stops the start, not each run.
  prefixed('job', () => validateJobRequest(catalog, scheduledJobRequest(parsedJob), now, limits));
  return { name, description, cron: schedule.expression.source, timeZone, paused, job: parsedJob };
}

function parseJob(job: unknown): ScheduledJob {
  if (!isObject(job)) throw new InvalidScheduleError('"job" must be an object: the materialization each run submits ({ "feature_service": ... } or { "views": [...] }, "incremental", "shard_size")');
  unknownKeys(job, JOB_KEYS, 'job.');
  const { feature_service: featureService, views, incremental, shard_size: shardSize } = job;
  if (featureService !== undefined && typeof featureService !== 'string') throw new InvalidScheduleError('"job.feature_service" must be a string');
  if (views !== undefined && !(Array.isArray(views) && views.every((v) => typeof v === 'string'))) throw new InvalidScheduleError('"job.views" must be an array of view names');
  if (incremental !== undefined && typeof incremental !== 'boolean') throw new InvalidScheduleError('"job.incremental" must be true or false');
  if (shardSize !== undefined && typeof shardSize !== 'number') throw new InvalidScheduleError('"job.shard_size" must be a number');
  return {
    ...(featureService !== undefined ? { featureService } : {}),
    ...(views !== undefined ? { views: views as string[] } : {}),
    ...(incremental !== undefined ? { incremental } : {}),
    ...(shardSize !== undefined ? { shardSize } : {}),
  };
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const hint = prefix === 'job.' ? ' (a scheduled job is always a materialization)' : '';
  throw new InvalidScheduleError(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${prefix}${k.slice(0, 50)}"`).join(', ')}; expected ${allowed.map((k) => `${prefix}${k}`).join(', ')}${hint}`);
}

function prefixed<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FeatureStoreError) throw new InvalidScheduleError(`${field}: ${error.message}`);
    throw error;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
