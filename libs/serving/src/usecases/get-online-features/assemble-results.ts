import { computeRequestFeatures, utcDayNumber, valuesOnDay, type DayNumber, type FeatureValue } from '@bnpl/feature-definitions';
import type { StoredView } from '@bnpl/online-store';
import type { FeatureResult, GetOnlineFeaturesResult } from './get-online-features.command';
import type { ReadPlan, StoredFeatureRead, ValueSlot } from './read-plan';

/** A pair's outcome: its stored or computed row, or null when the entity does not exist. */
export type PairValue = StoredView | null;

/** Every pair a request read: view name -> entity id -> outcome. */
export type PairValues = ReadonlyMap<string, ReadonlyMap<string, PairValue>>;

/** What the values are judged against. */
export interface AssemblyClock {
  /** The request instant: TTLs, the as-of day of tiles, the event time of request-time features. */
  readonly now: Date;
  /** The stream watermark (epoch ms; 0 when unknown), see `storedResult`. */
  readonly streamWatermarkMs: number;
}

/**
 * One stored feature's value and status from its pair:
 * - MISSING (the default, no event time) when the entity does not exist;
 * - STALE (the value, or the default where it is null) when the row is past its view's TTL. A row the
 *   stream keeps (it has tiles) is true up to the stream watermark, its event time being only its entity's
 *   last change, so its TTL runs from the later of the two;
 * - DEFAULT where the row holds no value, PRESENT otherwise.
 * A row with tiles gives its values as of `today` (windows summed from the tiles, ages moved).
 */
export function storedResult(read: StoredFeatureRead, pair: PairValue, clock: AssemblyClock, today: DayNumber = utcDayNumber(clock.now)): FeatureResult {
  if (!pair) return { value: read.default, status: 'MISSING', eventTime: null };
  const value = valuesOnDay(read.view, pair, today)[read.feature] ?? null;
  const trueAt = pair.tiles === undefined ? pair.eventTime.getTime() : Math.max(pair.eventTime.getTime(), clock.streamWatermarkMs);
  // STALE wins over DEFAULT: the whole row is old, whatever its values.
  if (trueAt + read.view.ttlSeconds * 1000 < clock.now.getTime()) return { value: value ?? read.default, status: 'STALE', eventTime: pair.eventTime };
  return value === null ? { value: read.default, status: 'DEFAULT', eventTime: pair.eventTime } : { value, status: 'PRESENT', eventTime: pair.eventTime };
}

/**
 * One request-time feature, computed from the request's inputs and the stored features it reads as served
 * (defaults in place of missing values): PRESENT, or DEFAULT where it yields no value; its event time is
 * the request instant. Throws FeatureComputationError when the definition returns a value of the wrong type.
 */
export function requestResult(
  slot: Extract<ValueSlot, { kind: 'request' }>,
  inputs: Readonly<Record<string, unknown>>,
  served: (read: StoredFeatureRead) => FeatureValue,
  now: Date,
): FeatureResult {
  const stored: Record<string, FeatureValue | null> = {};
  for (const { ref, read } of slot.reads) stored[ref] = read ? served(read) : null;
  const value = computeRequestFeatures(slot.view, inputs, stored, [slot.feature.name])[slot.feature.name] ?? null;
  return value === null ? { value: slot.feature.default, status: 'DEFAULT', eventTime: now } : { value, status: 'PRESENT', eventTime: now };
}

/** The response: one result per row, in request order, one value per slot, in `feature_names` order. */
export function assembleResults(plan: ReadPlan, pairs: PairValues, inputs: Readonly<Record<string, unknown>>, clock: AssemblyClock): GetOnlineFeaturesResult {
  const today = utcDayNumber(clock.now);
  const { storedViews, viewIndex, slots } = plan.selection;
  // Each row's pair of each view is looked up once, not once per feature of the view: a 100-row answer of
  // 25 features over 5 views makes 500 lookups instead of 2,500.
  const byView = storedViews.map((view) => pairs.get(view.name));
  const results = plan.rows.map((row) => {
    const rowPairs = storedViews.map((view, i): PairValue => byView[i]?.get(row[view.entity.joinKey] as string) ?? null);
    const stored = (read: StoredFeatureRead) => storedResult(read, rowPairs[viewIndex.get(read.view) as number], clock, today);
    const values = slots.map((slot): FeatureResult => (slot.kind === 'stored' ? stored(slot.read) : requestResult(slot, inputs, (read) => stored(read).value, clock.now)));
    return { entityRow: row, values };
  });
  // A fresh array per response: the selection's is shared by every request with the same selection.
  return { feature_names: [...plan.selection.featureNames], results };
}
