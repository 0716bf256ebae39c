import { type EntityRow, type FeatureResult, type GetOnlineFeaturesResult } from '@bnpl/serving';
import { toFeatureValueJson } from '../http/values.mapper';
import { type FeaturesResponse } from './online-features.schema';

type FeatureResultJson = FeaturesResponse['results'][number]['values'][number];

/**
 * The read path's result -> the body of `GET /v1/customers/{id}/features` and `POST /v1/features/online`.
 * The wire shape is written here, field by field, so that a change to the domain types never changes the
 * public JSON unnoticed (the type is the OpenAPI schema's).
 */
export function toFeaturesResponse(result: GetOnlineFeaturesResult): FeaturesResponse {
  return {
    feature_names: [...result.feature_names],
    results: result.results.map((row) => ({ entity_row: toEntityRowJson(row.entityRow), values: row.values.map(toFeatureResultJson) })),
  };
}

/** One value with its status and event time (RFC 3339, UTC, milliseconds; null when MISSING). */
export function toFeatureResultJson(result: FeatureResult): FeatureResultJson {
  return { value: toFeatureValueJson(result.value), status: result.status, event_time: result.eventTime === null ? null : result.eventTime.toISOString() };
}

/** The ids of an entity row, without the join keys it does not carry. */
function toEntityRowJson(row: EntityRow): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [joinKey, id] of Object.entries(row)) if (id !== undefined) ids[joinKey] = id;
  return ids;
}
