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

const str = JSON.stringify;

/** What Fastify sets for a body it serializes itself: the pre-written body must say the same. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The same body as `JSON.stringify(toFeaturesResponse(result))`, written straight to text: the two feature
 * routes answer every read with it, and building the objects to stringify them cost about 6 % of a read's
 * CPU (the profile in the README). The spec holds it to the object mapper's output, byte for byte.
 */
export function writeFeaturesResponse(result: GetOnlineFeaturesResult): string {
  let out = `{"feature_names":${featureNamesText(result.feature_names)},"results":[`;
  for (let r = 0; r < result.results.length; r++) {
    const row = result.results[r];
    out += `${r === 0 ? '' : ','}{"entity_row":{`;
    let first = true;
    for (const joinKey in row.entityRow) {
      const id = row.entityRow[joinKey];
      if (id === undefined) continue;
      out += `${first ? '' : ','}${str(joinKey)}:${str(id)}`;
      first = false;
    }
    out += '},"values":[';
    // A view's values share one Date: each is formatted once per row.
    let lastTime: Date | null = null;
    let lastText = 'null';
    for (let i = 0; i < row.values.length; i++) {
      const v = row.values[i];
      if (v.eventTime !== lastTime) {
        lastTime = v.eventTime;
        lastText = v.eventTime === null ? 'null' : `"${v.eventTime.toISOString()}"`;
      }
      out += `${i === 0 ? '' : ','}{"value":${valueText(v.value)},"status":"${v.status}","event_time":${lastText}}`;
    }
    out += ']}';
  }
  return `${out}]}`;
}

function valueText(value: FeatureResult['value']): string {
  switch (typeof value) {
    case 'number':
      // JSON.stringify's text: the number, or null for NaN and the infinities.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return str(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return `{"amount_minor":"${String(value.amountMinor)}","currency":${str(value.currency)}}`;
  }
}

/** Answers of one selection share their list of names: its text is kept while the same list comes back. */
let lastNames: readonly string[] = [];
let lastNamesText = '[]';
function featureNamesText(names: readonly string[]): string {
  let same = names.length === lastNames.length;
  for (let i = 0; same && i < names.length; i++) same = names[i] === lastNames[i];
  if (!same) {
    lastNames = [...names];
    lastNamesText = str(names);
  }
  return lastNamesText;
}
