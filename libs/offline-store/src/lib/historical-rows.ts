import type { FeatureValue } from '@bnpl/feature-definitions';
import { EVENT_TIMESTAMP, type OutputLayout } from './offline-layout';
import type { EntityRowValue, HistoricalRow, OfflineFeatureStatus } from './offline-store.port';

/**
 * One output row as an adapter decoded it, by column name: join keys as canonical strings, timestamps as
 * Dates (or null), INT64 and DOUBLE as numbers, STRING as strings, BOOL as booleans, statuses as strings,
 * labels as `EntityRowValue`s.
 */
export type DecodedRow = (column: string) => unknown;

const STATUSES: ReadonlySet<string> = new Set<OfflineFeatureStatus>(['PRESENT', 'DEFAULT', 'STALE', 'MISSING']);

/** Builds the port's row (features in request order) from a decoded output row. */
export function toHistoricalRow(layout: OutputLayout, row: DecodedRow): HistoricalRow {
  const entityRow: Record<string, EntityRowValue> = {};
  for (const key of layout.joinKeys) entityRow[key] = row(key) as string;
  entityRow[EVENT_TIMESTAMP] = row(EVENT_TIMESTAMP) as Date;
  for (const label of layout.labels) entityRow[label] = row(label) as EntityRowValue;
  const features = layout.features.map((f) => {
    const status = row(f.statusColumn);
    // A status outside the four means the SQL and this mapping disagree: a bug, not bad input.
    if (typeof status !== 'string' || !STATUSES.has(status)) throw new Error(`Unexpected status ${String(status)} in column ${f.statusColumn}`);
    const parts = f.valueColumns.map((c) => row(c.name));
    const value = (f.selected.feature.valueType === 'MONEY' ? { amountMinor: parts[0], currency: parts[1] } : parts[0]) as FeatureValue;
    return { value, status: status as OfflineFeatureStatus, eventTime: (row(f.eventTimeColumn) as Date | null) ?? null };
  });
  return { entityRow, features };
}
