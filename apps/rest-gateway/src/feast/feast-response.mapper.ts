import { type FeatureResult, type FeatureStatus, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { toFeatureValueJson, type FeatureValueJson } from '../http/values.mapper';
import { type FeastQuery } from './feast-request.mapper';
import { type FeastResponseJson } from './feast.schema';

type FeastStatus = FeastResponseJson['results'][number]['statuses'][number];

/** A value of a Feast column: an entity id (a bigint, written as a JSON integer of any size), a feature value, or null. */
export type FeastValue = FeatureValueJson | bigint | null;

/** One column of Feast's answer. */
export interface FeastColumn {
  readonly values: readonly FeastValue[];
  readonly statuses: readonly FeastStatus[];
  readonly event_timestamps: readonly string[];
}

/** Feast's answer before it is written as JSON (see `feastResponseJson`). */
export interface FeastResponse {
  readonly metadata: { readonly feature_names: readonly string[] };
  readonly results: readonly FeastColumn[];
}

/** This store's statuses in Feast's terms. */
const FEAST_STATUS: Readonly<Record<FeatureStatus, FeastStatus>> = {
  PRESENT: 'PRESENT',
  DEFAULT: 'NULL_VALUE',
  STALE: 'OUTSIDE_MAX_AGE',
  MISSING: 'NOT_FOUND',
};

/** What Feast gives where there is no event time: an unset protobuf Timestamp, i.e. the epoch. */
export const FEAST_NO_TIMESTAMP = '1970-01-01T00:00:00Z';

/** An instant as protobuf's JSON mapping writes a Timestamp (Feast's format): no fraction when it is zero. */
export function feastTimestamp(at: Date | null): string {
  if (at === null) return FEAST_NO_TIMESTAMP;
  const iso = at.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A full `view:feature` reference (as the read path answers them) -> `view__feature` with full feature names, else `feature`. */
export function feastFeatureName(ref: string, fullFeatureNames: boolean): string {
  return fullFeatureNames ? ref.replace(':', '__') : ref.slice(ref.indexOf(':') + 1);
}

/**
 * Feast sends an unset value (JSON null) for NOT_FOUND and NULL_VALUE; this store's default for them is
 * in the catalog, not in Feast's answer.
 */
function feastValue(result: FeatureResult): FeatureValueJson | null {
  return result.status === 'MISSING' || result.status === 'DEFAULT' ? null : toFeatureValueJson(result.value);
}

/**
 * A read path result (of the distinct rows of `query`) -> Feast's response: the join key columns first
 * (the ids converted to integers, status PRESENT, epoch timestamps), then one column per feature, fanned
 * back out to every request row. Throws FEATURE_NAME_COLLISION, as Feast does, when two features share a
 * bare name and full feature names were not asked for.
 */
export function toFeastResponse(result: GetOnlineFeaturesResult, query: FeastQuery): FeastResponse {
  const names = result.feature_names.map((ref) => feastFeatureName(ref, query.fullFeatureNames));
  const clash = names.find((name, i) => names.indexOf(name) !== i);
  if (clash !== undefined) {
    throw new InvalidRequestBodyError(
      'FEATURE_NAME_COLLISION',
      `Several requested features are named "${clash}" (${result.feature_names.filter((_, i) => names[i] === clash).join(', ')}): set full_feature_names to true`,
    );
  }
  const keys = query.keyColumns.map(
    (column): FeastColumn => ({
      values: column.ids.map((id) => BigInt(id)),
      statuses: column.ids.map((): FeastStatus => 'PRESENT'),
      event_timestamps: column.ids.map(() => FEAST_NO_TIMESTAMP),
    }),
  );
  const features = result.feature_names.map((_, f): FeastColumn => {
    const cells = query.rowOf.map((row) => result.results[row].values[f]);
    return { values: cells.map(feastValue), statuses: cells.map((cell) => FEAST_STATUS[cell.status]), event_timestamps: cells.map((cell) => feastTimestamp(cell.eventTime)) };
  });
  return { metadata: { feature_names: [...query.keyColumns.map((c) => c.name), ...names] }, results: [...keys, ...features] };
}

/**
 * Feast's response as JSON text. Written by hand because entity ids are bigints up to 2^63-1 and Feast
 * (Python) writes an INT64 entity value as a JSON integer of any size, which JSON.stringify cannot.
 */
export function feastResponseJson(response: FeastResponse): string {
  const column = (c: FeastColumn) =>
    `{"values":[${c.values.map((v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v))).join(',')}],"statuses":${JSON.stringify(c.statuses)},"event_timestamps":${JSON.stringify(c.event_timestamps)}}`;
  return `{"metadata":${JSON.stringify(response.metadata)},"results":[${response.results.map(column).join(',')}]}`;
}
