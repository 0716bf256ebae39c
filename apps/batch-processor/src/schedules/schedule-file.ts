import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobRequestLimits } from '@bnpl/batch';
import type { Catalog } from '@bnpl/feature-definitions';
import { InvalidScheduleError, parseSchedules, type ScheduleDefinition } from '@bnpl/scheduling';

/** The schedules in a JSON file (see `parseSchedules`); throws InvalidScheduleError naming the file and the problem. */
export function readScheduleFile(path: string, catalog: Catalog, now = new Date(), limits: JobRequestLimits = {}): ScheduleDefinition[] {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidScheduleError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidScheduleError(`${file} is not JSON (${(error as Error).message})`);
  }
  try {
    return parseSchedules(json, catalog, now, limits);
  } catch (error) {
    throw new InvalidScheduleError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * The config check of JOB_SCHEDULES_FILE: the file must hold valid schedules for the app's catalog, and the
 * pool must have a connection besides the one a scheduler tick holds its lock in while it submits jobs.
 */
export function checkScheduleFileEnv(catalog: Catalog) {
  return (config: { JOB_SCHEDULES_FILE?: string; DATABASE_POOL_SIZE: number; JOBS_MIN_SHARD_SIZE?: number }): Array<{ variable: string; message: string }> => {
    if (config.JOB_SCHEDULES_FILE === undefined) return [];
    if (config.DATABASE_POOL_SIZE < 2) return [{ variable: 'DATABASE_POOL_SIZE', message: 'must be at least 2 with JOB_SCHEDULES_FILE (a scheduler tick holds one connection while it submits jobs)' }];
    try {
      readScheduleFile(config.JOB_SCHEDULES_FILE, catalog, new Date(), { minShardSize: config.JOBS_MIN_SHARD_SIZE });
      return [];
    } catch (error) {
      return [{ variable: 'JOB_SCHEDULES_FILE', message: (error as Error).message }];
    }
  };
}
