import { type FeatureStatus, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { type FeastKeyColumn } from './feast-request.mapper';
import { type FeastResponse } from './feast.schema';

type FeastStatus = FeastResponse['results'][number]['statuses'][number];

/** Our statuses in Feast's terms. DEFAULT (the entity exists, the value does not) is Feast's NULL_VALUE. */
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
 * A read path result -> Feast's response: the entity key columns first (status PRESENT, epoch
 * timestamps), then one column per feature. Throws FEATURE_NAME_COLLISION, as Feast does, when two
 * features share a bare name and full feature names were not asked for.
 */
export function toFeastResponse(result: GetOnlineFeaturesResult, keyColumns: readonly FeastKeyColumn[], fullFeatureNames: boolean): FeastResponse {
  const names = result.feature_names.map((ref) => feastFeatureName(ref, fullFeatureNames));
  const clash = names.find((name, i) => names.indexOf(name) !== i);
  if (clash !== undefined) {
    throw new InvalidRequestBodyError(
      'FEATURE_NAME_COLLISION',
      `Several requested features are named "${clash}" (${result.feature_names.filter((_, i) => names[i] === clash).join(', ')}): set full_feature_names to true`,
    );
  }
  const keys = keyColumns.map((column) => ({
    values: [...column.values],
    statuses: column.values.map((): FeastStatus => 'PRESENT'),
    event_timestamps: column.values.map(() => FEAST_NO_TIMESTAMP),
  }));
  const features = result.feature_names.map((_, f) => ({
    values: result.results.map((row) => row.values[f].value),
    statuses: result.results.map((row) => FEAST_STATUS[row.values[f].status]),
    event_timestamps: result.results.map((row) => feastTimestamp(row.values[f].eventTime)),
  }));
  return { metadata: { feature_names: [...keyColumns.map((c) => c.name), ...names] }, results: [...keys, ...features] };
}
