import { assertEntityId, type FeatureRow, type FeatureValue, type FeatureView } from '@bnpl/feature-definitions';
import { InvalidHistoricalRequestError } from './errors/invalid-historical-request.error';
import { featureColumns } from './offline-layout';
import type { DecodedRow } from './historical-rows';

/** Most entity ids one `readLatestRows` call takes. */
export const MAX_LATEST_ROWS_IDS = 10_000;

/** Checks the ids of a `readLatestRows` call (canonical, at most MAX_LATEST_ROWS_IDS) and returns them deduplicated. */
export function checkLatestRowIds(entityIds: readonly string[]): string[] {
  if (entityIds.length > MAX_LATEST_ROWS_IDS) throw new InvalidHistoricalRequestError(`readLatestRows takes at most ${MAX_LATEST_ROWS_IDS} entity ids, got ${entityIds.length}`);
  entityIds.forEach(assertEntityId);
  return [...new Set(entityIds)];
}

/**
 * A stored history row's values, from its decoded columns (see `featureColumns`): null where nothing was
 * stored (a MONEY value needs both its amount and currency).
 */
export function storedValues(view: FeatureView, row: DecodedRow): FeatureRow {
  const values: Record<string, FeatureValue | null> = {};
  for (const feature of view.features) {
    const parts = featureColumns(feature).map((c) => row(c.name));
    if (feature.valueType === 'MONEY') values[feature.name] = parts[0] === null || parts[1] === null ? null : { amountMinor: parts[0] as number, currency: parts[1] as string };
    else values[feature.name] = (parts[0] ?? null) as FeatureValue | null;
  }
  return values;
}
