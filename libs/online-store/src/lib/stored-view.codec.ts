import { Packr } from 'msgpackr';
import {
  describeValue,
  isValueOfType,
  isViewTiles,
  viewTilesFingerprint,
  type Catalog,
  type FeatureRow,
  type FeatureValue,
  type FeatureView,
  type ViewTiles,
} from '@bnpl/feature-definitions';
import { CorruptStoredValueError } from './errors/corrupt-stored-value.error';
import { InvalidOnlineRowError } from './errors/invalid-online-row.error';
import type { EntityKey, StoredView } from './online-store.port';

// Plain MessagePack only (no msgpackr records or extensions): the Redis write script decodes the first
// element with Lua's cmsgpack, and any other client must be able to read the values.
const packr = new Packr({ useRecords: false, moreTypes: false, encodeUndefinedAsNil: true });

/**
 * Encodes one view's values for storage, and back. The format (README.md, "Value encoding"):
 *
 *   msgpack array [eventTimeMs, slot(f1), slot(f2), ...]  for the view's features in catalog order
 *
 * where a feature's slot is its value, or nil for null; a MONEY value takes two slots, amount then
 * currency, and a null MONEY one nil slot. Trailing nils are dropped. Feature names are not stored: the
 * catalog's feature order is part of the format (features may be appended to a view, never reordered,
 * retyped or removed without re-materializing it).
 *
 * A row with per-day tiles (the streaming path) is stored as
 *
 *   msgpack array [eventTimeMs, [slot(f1), slot(f2), ...], [fingerprint, tiles]]
 *
 * (a nested array where a slot would be: slots are never arrays, so the two forms cannot be confused; the
 * event time stays first for the Redis write script). `fingerprint` is `viewTilesFingerprint` of the view
 * when written: tiles written under another definition are dropped on read, the values still served.
 */
export class StoredViewCodec {
  constructor(readonly catalog: Catalog) {}

  /** The stored view named `name`; throws UnknownFeatureViewError naming it (also for a request-time view). */
  view(name: string): FeatureView {
    return this.catalog.getView(name);
  }

  /** Throws UnknownFeatureViewError for the first unknown view name. */
  assertViews(names: readonly string[]): void {
    for (const name of names) this.catalog.getView(name);
  }

  /**
   * Validates a row and encodes it. Throws UnknownFeatureViewError, or InvalidOnlineRowError when the key
   * is of another entity, a value is of the wrong type, a feature is unknown or the event time is invalid.
   */
  encode(viewName: string, key: EntityKey, values: FeatureRow, eventTime: Date, tiles?: ViewTiles): Buffer {
    const view = this.view(viewName);
    if (key.entity !== view.entity.name) throw new InvalidOnlineRowError(viewName, `the view is of entity ${view.entity.name}, the key of ${key.entity}`);
    const eventTimeMs = eventTimeMsOf(viewName, eventTime);
    const features = view.features;
    // Every value named is a feature of the view: counted while encoding, checked by name only on a mismatch.
    let named = 0;
    for (const name in values) if (values[name] !== undefined) named++;
    const out: unknown[] = [eventTimeMs];
    let lastNonNil = 0;
    for (const feature of features) {
      const value = values[feature.name];
      if (value === null || value === undefined) {
        out.push(null);
        continue;
      }
      if (!isValueOfType(feature.valueType, value)) {
        throw new InvalidOnlineRowError(viewName, `feature ${feature.name} is ${feature.valueType}, got ${describeValue(value)}`);
      }
      if (feature.valueType === 'MONEY') {
        const m = value as { amountMinor: number; currency: string };
        out.push(m.amountMinor, m.currency);
      } else {
        out.push(value);
      }
      lastNonNil = out.length - 1;
    }
    out.length = lastNonNil + 1;
    let present = 0;
    for (const feature of features) if (values[feature.name] !== undefined) present++;
    if (present !== named) {
      const unknown = Object.keys(values).find((name) => values[name] !== undefined && !features.some((f) => f.name === name));
      throw new InvalidOnlineRowError(viewName, `unknown feature ${unknown}`);
    }
    if (tiles === undefined) return packr.pack(out);
    if (!isViewTiles(tiles)) throw new InvalidOnlineRowError(viewName, 'tiles are not ViewTiles');
    return packr.pack([eventTimeMs, out.slice(1), [viewTilesFingerprint(view), tiles]]);
  }

  /** Decodes a stored value of `viewName`; throws CorruptStoredValueError when it does not fit the view. */
  decode(viewName: string, bytes: Uint8Array): StoredView {
    return this.decodeView(this.view(viewName), bytes);
  }

  /** As `decode`, for a view already looked up (the read loop looks each view up once per call). */
  decodeView(view: FeatureView, bytes: Uint8Array): StoredView {
    let slots: unknown;
    try {
      slots = packr.unpack(bytes);
    } catch (error) {
      throw new CorruptStoredValueError(view.name, `not MessagePack (${(error as Error).message})`);
    }
    if (!Array.isArray(slots) || typeof slots[0] !== 'number') throw new CorruptStoredValueError(view.name, 'expected an array starting with the event time');
    const eventTime = new Date(slots[0]);
    if (Array.isArray(slots[1])) {
      const stored = slots[2];
      if (!Array.isArray(stored) || typeof stored[0] !== 'string' || !isViewTiles(stored[1])) throw new CorruptStoredValueError(view.name, 'malformed tiles');
      const values = this.#decodeSlots(view, slots[1], 0);
      return stored[0] === viewTilesFingerprint(view) ? { values, eventTime, tiles: stored[1] } : { values, eventTime };
    }
    return { values: this.#decodeSlots(view, slots, 1), eventTime };
  }

  /** The view's values from `slots[start..]`. */
  #decodeSlots(view: FeatureView, slots: readonly unknown[], start: number): FeatureRow {
    const values: Record<string, FeatureValue | null> = {};
    let i = start;
    for (const feature of view.features) {
      // Slots past the end: features appended to the view after this value was written.
      const slot = i < slots.length ? slots[i++] : null;
      if (slot === null || slot === undefined) {
        values[feature.name] = null;
        continue;
      }
      let value: FeatureValue;
      if (feature.valueType === 'MONEY') {
        value = { amountMinor: slot as number, currency: slots[i++] as string };
      } else {
        value = slot as FeatureValue;
      }
      if (!isValueOfType(feature.valueType, value)) {
        throw new CorruptStoredValueError(view.name, `feature ${feature.name} is ${feature.valueType}, stored ${describeValue(value)}`);
      }
      values[feature.name] = value;
    }
    return values;
  }
}

function eventTimeMsOf(viewName: string, eventTime: Date): number {
  const ms = eventTime instanceof Date ? eventTime.getTime() : NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidOnlineRowError(viewName, `event time must be a valid Date at or after 1970, got ${describeValue(eventTime)}`);
  return ms;
}
