import { describeValue, isValidEntityId, isValueOfType, type FeatureValue, type FeatureView } from '@bnpl/feature-definitions';
import { InvalidOfflineRowError } from './errors/invalid-offline-row.error';
import type { OfflineRow } from './offline-store.port';

/** The instants every backend can store: BigQuery's TIMESTAMP range (DuckDB's is wider). */
export const MIN_TIME_MS = Date.parse('0001-01-01T00:00:00Z');
export const MAX_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A row checked against its view, flattened for staging. */
export interface CheckedRow {
  readonly entityId: string;
  readonly eventTimeMs: number;
  readonly createdAtMs: number;
  /** One entry per feature of the view, in the view's order; null where no value. */
  readonly values: readonly (FeatureValue | null)[];
}

/** Feature names per view, looked up once per view rather than once per row and feature. */
const featureNames = new WeakMap<FeatureView, ReadonlySet<string>>();

/** Checks one row given to `writeFeatureRows`; throws InvalidOfflineRowError naming what is wrong. */
export function checkOfflineRow(view: FeatureView, row: OfflineRow, rowIndex: number, defaultCreatedAtMs: number): CheckedRow {
  if (typeof row !== 'object' || row === null) invalid(view, rowIndex, `expected an object, got ${describeValue(row)}`);
  if (!isValidEntityId(row.entityId)) invalid(view, rowIndex, `entityId ${describeValue(row.entityId)} is not a canonical ${view.entity.name} id (a positive decimal integer string)`);
  const eventTimeMs = instantMs(row.eventTime) ?? invalid(view, rowIndex, `eventTime ${describeInstant(row.eventTime)} is not a Date between years 1 and 9999`);
  const createdAtMs =
    row.createdAt === undefined ? defaultCreatedAtMs : (instantMs(row.createdAt) ?? invalid(view, rowIndex, `createdAt ${describeInstant(row.createdAt)} is not a Date between years 1 and 9999`));
  const given = row.values;
  if (typeof given !== 'object' || given === null) invalid(view, rowIndex, `values must be an object of feature values, got ${describeValue(given)}`);
  let names = featureNames.get(view);
  if (!names) featureNames.set(view, (names = new Set(view.features.map((f) => f.name))));
  for (const name in given) if (!names.has(name)) invalid(view, rowIndex, `unknown feature "${name}"`);
  const values = new Array<FeatureValue | null>(view.features.length);
  for (let i = 0; i < values.length; i++) {
    const f = view.features[i];
    const value = given[f.name] ?? null;
    if (value !== null && !isValueOfType(f.valueType, value)) invalid(view, rowIndex, `feature "${f.name}" must be ${f.valueType} or null, got ${describeValue(value)}`);
    values[i] = value;
  }
  return { entityId: row.entityId, eventTimeMs, createdAtMs, values };
}

function invalid(view: FeatureView, rowIndex: number, detail: string): never {
  throw new InvalidOfflineRowError(view.name, rowIndex, detail);
}

function describeInstant(value: unknown): string {
  if (!(value instanceof Date)) return describeValue(value);
  return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
}

function instantMs(value: unknown): number | undefined {
  if (!(value instanceof Date)) return undefined;
  const ms = value.getTime();
  return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : undefined;
}

/** The batches of a `writeFeatureRows` call, whichever form they came in. */
export async function* batchesOf<T>(rows: readonly T[] | AsyncIterable<readonly T[]>): AsyncIterable<readonly T[]> {
  if (Symbol.asyncIterator in rows) yield* rows;
  else yield rows;
}
