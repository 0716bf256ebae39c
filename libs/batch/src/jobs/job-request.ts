import type { Catalog } from '@bnpl/feature-definitions';
import { InvalidJobRequestError } from './invalid-job-request.error';
import { JOB_KINDS, type JobKind, type JobSpec } from './job.model';

/** A job as a client asks for it (REST body, CLI flags, Pub/Sub message). */
export interface JobRequest {
  readonly kind: string;
  /** Stored view names; default: every view of `featureService`, else every stored view. */
  readonly views?: readonly string[];
  readonly featureService?: string;
  readonly incremental?: boolean;
  /** backfill: first and last day, `YYYY-MM-DD` (UTC). */
  readonly from?: string;
  readonly to?: string;
  readonly shardSize?: number;
  /**
   * historical: the entity file (CSV or Parquet) and the output file, relative to the batch-processor's
   * job files root (or an allowed `gs://` URI for the output; see `JobFiles`).
   */
  readonly entityFile?: string;
  readonly outputFile?: string;
  /** historical: replace an output that exists (default: refused). */
  readonly overwrite?: boolean;
  readonly outputFormat?: string;
  /** historical: `view:feature` references (or `featureService`). */
  readonly features?: readonly string[];
}

export const DEFAULT_SHARD_SIZE = 50_000;
/**
 * The smallest shard a submission may ask for by default (`JOBS_MIN_SHARD_SIZE`): every shard is a row, a
 * message and a claim; a whole-catalog job with `shard_size: 1` would be tens of thousands of them.
 */
export const DEFAULT_MIN_SHARD_SIZE = 1_000;

/** Bounds a deployment sets on what a submission may ask for. */
export interface JobRequestLimits {
  /** Smallest `shard_size` accepted (default 1: no bound beyond positivity; the services pass JOBS_MIN_SHARD_SIZE). */
  readonly minShardSize?: number;
}
const MAX_SHARD_SIZE = 1_000_000;
/** One backfill computes every entity once per day: a bound keeps a typo from queuing decades of work. */
const MAX_BACKFILL_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * Validates a job request against the catalog and returns its spec. Everything a job could trip over
 * later is checked here, so a bad request is rejected before any work starts: an unknown view or
 * service (the catalog's UNKNOWN_FEATURE_VIEW / UNKNOWN_FEATURE_SERVICE), a request-time view, a reversed
 * or malformed time range, options of the wrong kind.
 */
export function validateJobRequest(catalog: Catalog, request: JobRequest, today: Date, limits: JobRequestLimits = {}): JobSpec {
  if (!JOB_KINDS.includes(request.kind as JobKind)) throw new InvalidJobRequestError(`Unknown job kind "${request.kind}": expected one of ${JOB_KINDS.join(', ')}`);
  const kind = request.kind as JobKind;
  if (kind === 'historical') return validateTrainingSet(catalog, request);
  for (const field of ['entityFile', 'outputFile', 'outputFormat', 'features', 'overwrite'] as const) {
    if (request[field] !== undefined) throw new InvalidJobRequestError(`"${snake(field)}" applies to historical jobs only`);
  }
  if (request.views !== undefined && request.featureService !== undefined) throw new InvalidJobRequestError('Give "views" or "feature_service", not both');
  let views: string[];
  const explicit = request.views !== undefined;
  if (request.views !== undefined) {
    if (request.views.length === 0) throw new InvalidJobRequestError('"views" is empty');
    views = [...new Set(request.views)];
    for (const v of views) {
      if (!catalog.hasView(v) && catalog.requestViews.some((r) => r.name === v)) throw new InvalidJobRequestError(`"${v}" is a request-time view: it is computed at request time, never materialized`);
      catalog.getView(v);
    }
  } else if (request.featureService !== undefined) {
    views = catalog.resolveService(request.featureService).storedViews.map((v) => v.name);
  } else {
    views = catalog.views.map((v) => v.name);
  }
  if (kind === 'backfill') views = backfillableViews(catalog, views, explicit);

  const shardSize = request.shardSize ?? DEFAULT_SHARD_SIZE;
  const minShardSize = Math.max(1, limits.minShardSize ?? 1);
  if (!Number.isSafeInteger(shardSize) || shardSize < minShardSize || shardSize > MAX_SHARD_SIZE) {
    throw new InvalidJobRequestError(`"shard_size" must be an integer from ${minShardSize} to ${MAX_SHARD_SIZE} (the smallest shard this deployment accepts is ${minShardSize} entities), got ${String(shardSize)}`);
  }

  if (kind === 'materialize') {
    if (request.from !== undefined || request.to !== undefined) throw new InvalidJobRequestError('"from" and "to" apply to backfill jobs only; materialize computes values as of now');
    return { kind, views, incremental: request.incremental ?? false, from: null, to: null, shardSize };
  }
  if (request.incremental) throw new InvalidJobRequestError('"incremental" applies to materialize jobs only');
  if (request.from === undefined || request.to === undefined) throw new InvalidJobRequestError('A backfill needs "from" and "to" (YYYY-MM-DD)');
  const from = parseDay('from', request.from);
  const to = parseDay('to', request.to);
  if (from > to) throw new InvalidJobRequestError(`The time range is reversed: "from" ${request.from} is after "to" ${request.to}`);
  if (to.getTime() >= Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) throw new InvalidJobRequestError(`"to" ${request.to} is not a past day: a backfill covers finished days only`);
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days > MAX_BACKFILL_DAYS) throw new InvalidJobRequestError(`The time range covers ${days} days; at most ${MAX_BACKFILL_DAYS} per backfill job`);
  return { kind, views, incremental: false, from, to, shardSize };
}

/**
 * The views a backfill can write: those with at least one feature whose past the source keeps (see
 * `FeatureView.backfill`). Named explicitly, a view without any is refused with the reason; taken from a
 * service or the whole catalog, it is left out.
 */
function backfillableViews(catalog: Catalog, views: readonly string[], explicit: boolean): string[] {
  const known = (v: string) => Object.values(catalog.getView(v).backfill).some((b) => b.mode !== 'none');
  const refused = views.find((v) => !known(v));
  if (explicit && refused !== undefined) {
    const why = Object.values(catalog.getView(refused).backfill)[0].why;
    throw new InvalidJobRequestError(`"${refused}" cannot be backfilled: none of its features can be computed as of a past day (${why}); see the catalog's backfill column`);
  }
  const kept = views.filter(known);
  if (kept.length === 0) throw new InvalidJobRequestError('None of these views can be backfilled: the source keeps only the current state of what they read');
  return kept;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A training-set request: the features must exist (request-time ones are not in the offline store). */
function validateTrainingSet(catalog: Catalog, request: JobRequest): JobSpec {
  for (const field of ['views', 'incremental', 'from', 'to', 'shardSize'] as const) {
    if (request[field] !== undefined) throw new InvalidJobRequestError(`"${snake(field)}" does not apply to historical jobs`);
  }
  const path = (field: 'entityFile' | 'outputFile') => {
    const value = request[field];
    if (typeof value !== 'string' || value.trim() === '') throw new InvalidJobRequestError(`A historical job needs "${snake(field)}": a path relative to the job files root`);
    return value;
  };
  const entityFile = path('entityFile');
  const outputFile = path('outputFile');
  if (!/\.(csv|parquet)$/i.test(entityFile)) throw new InvalidJobRequestError(`"entity_file" must be a .csv or .parquet file, got ${JSON.stringify(entityFile.slice(0, 200))}`);
  if (request.overwrite !== undefined && typeof request.overwrite !== 'boolean') throw new InvalidJobRequestError('"overwrite" must be true or false');
  const outputFormat = request.outputFormat ?? (outputFile.toLowerCase().endsWith('.csv') ? 'csv' : 'parquet');
  if (outputFormat !== 'csv' && outputFormat !== 'parquet') throw new InvalidJobRequestError(`"output_format" must be parquet or csv, got ${JSON.stringify(outputFormat)}`);
  if ((request.features === undefined) === (request.featureService === undefined)) throw new InvalidJobRequestError('A historical job needs exactly one of "features" or "feature_service"');
  let views: string[];
  if (request.features !== undefined) {
    if (request.features.length === 0) throw new InvalidJobRequestError('"features" is empty');
    const resolved = catalog.resolveRefs(request.features);
    const requestTime = resolved.find((f) => f.kind === 'request');
    if (requestTime) throw new InvalidJobRequestError(`${requestTime.ref} is a request-time feature: it is computed from the purchase being decided and is not in the offline store`);
    views = [...new Set(resolved.map((f) => f.view.name))];
  } else {
    views = catalog.resolveService(request.featureService as string).storedViews.map((v) => v.name);
  }
  return {
    kind: 'historical',
    views,
    incremental: false,
    from: null,
    to: null,
    shardSize: 1,
    trainingSet: {
      entityFile,
      outputFile,
      ...(request.overwrite ? { overwrite: true } : {}),
      outputFormat,
      features: request.features ? [...request.features] : null,
      featureService: request.featureService ?? null,
    },
  };
}

function parseDay(field: string, value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new InvalidJobRequestError(`"${field}" must be a day as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return date;
}
