import { z } from 'zod';
import { isCurrencyCode, isValidEntityId, isValidName, type FeatureRow, type FeatureValue } from '@bnpl/feature-definitions';
import { messagingType } from './messaging-types';
import { entityIdField, nameField, timestampField, toTimestamp } from './proto-fields';
import { defineTopic, type Topic, type TopicDefinition } from './topic';

/** One entity's values of a view at one instant (proto `FeatureHistoryRow`). */
export interface FeatureHistoryEntry {
  readonly entityId: string;
  /** When the values became true (the commit time of the change they follow). */
  readonly eventTime: Date;
  /** When they were read from the source: of two entries with the same event time, the later read wins. */
  readonly readTime: Date;
  /** Feature name -> value; a feature without a value is null (absent on the wire). */
  readonly values: FeatureRow;
}

/** Rows the streaming path recomputed for one view, for the offline store's history (proto `FeatureHistory`). */
export interface FeatureHistory {
  readonly featureView: string;
  /** At least one. */
  readonly rows: readonly FeatureHistoryEntry[];
}

/**
 * A value as protobufjs hands it over: only the set member of the `kind` oneof is present (it fills no
 * defaults for oneof members), 64-bit integers as strings.
 */
const valueField = z
  .object({
    feature: nameField,
    int64Value: z.string().optional(),
    doubleValue: z.number().optional(),
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    moneyValue: z.object({ amountMinor: z.string(), currency: z.string() }).nullable().optional(),
  })
  .transform(({ feature, ...v }, ctx): [string, FeatureValue] => {
    const problem = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const value = (x: FeatureValue): [string, FeatureValue] => [feature, x];
    const set = Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined && v[k as keyof typeof v] !== null);
    if (set.length > 1) return problem(`a value must set one member of kind, not ${set.join(' and ')}`);
    switch (set[0]) {
      case 'int64Value': {
        const n = Number(v.int64Value);
        return Number.isSafeInteger(n) ? value(n) : problem('int64_value must be an integer below 2^53');
      }
      case 'doubleValue':
        return Number.isFinite(v.doubleValue) ? value(v.doubleValue as number) : problem('double_value must be finite');
      case 'stringValue':
        return value(v.stringValue as string);
      case 'boolValue':
        return value(v.boolValue as boolean);
      case 'moneyValue': {
        const amount = Number(v.moneyValue?.amountMinor);
        if (!Number.isSafeInteger(amount) || !isCurrencyCode(v.moneyValue?.currency ?? '')) return problem('money_value needs an integer amount and an ISO 4217 currency');
        return value({ amountMinor: amount, currency: v.moneyValue?.currency as string });
      }
      default:
        return problem('a value must set one member of kind (leave a feature without a value out of the map)');
    }
  });

const fromProto = z.object({
  featureView: nameField,
  rows: z
    .array(
      z.object({ entityId: entityIdField, eventTime: timestampField, readTime: timestampField, values: z.array(valueField) }).transform((row) => ({ ...row, values: Object.fromEntries(row.values) })),
    )
    .min(1, 'must carry at least one row'),
});

/** `value` on the wire: integers as int64, other numbers as double (a JS number is the same either way). */
function toValue(feature: string, value: FeatureValue, where: string): Record<string, unknown> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${where}: ${value} is not a finite number`);
    return Number.isSafeInteger(value) ? { feature, int64Value: String(value) } : { feature, doubleValue: value };
  }
  if (typeof value === 'string') return { feature, stringValue: value };
  if (typeof value === 'boolean') return { feature, boolValue: value };
  return { feature, moneyValue: { amountMinor: String(value.amountMinor), currency: value.currency } };
}

/** Feature names already found valid: a view's rows repeat the same few. */
const validNames = new Set<string>();
const MAX_VALID_NAMES = 10_000;

/** Whether a Date is one a Timestamp carries back as the same valid Date. */
const validTime = (t: unknown) => t instanceof Date && !Number.isNaN(t.getTime());

/**
 * What `decode` would reject of a history's encoding, found in the history itself (see TopicDefinition.check):
 * a view or feature name, an entity id, a time, a number or an amount that does not come back. Stricter in
 * one place: a money amount that is not an integer, which the encoding would silently truncate.
 */
export function checkFeatureHistory(history: FeatureHistory): string | null {
  if (!isValidName(history.featureView)) return 'featureView: must be a lower_snake_case name';
  if (history.rows.length === 0) return 'rows: must carry at least one row';
  for (let i = 0; i < history.rows.length; i++) {
    const row = history.rows[i];
    if (!isValidEntityId(row.entityId)) return `rows.${i}.entityId: must be a positive integer (an entity id)`;
    if (!validTime(row.eventTime)) return `rows.${i}.eventTime: is not a valid time`;
    if (!validTime(row.readTime)) return `rows.${i}.readTime: is not a valid time`;
    for (const feature in row.values) {
      const value = row.values[feature];
      if (value === null || value === undefined) continue;
      const where = `rows.${i}.values.${feature}`;
      if (!validNames.has(feature)) {
        if (!isValidName(feature)) return `${where}: must be a lower_snake_case name`;
        if (validNames.size < MAX_VALID_NAMES) validNames.add(feature);
      }
      switch (typeof value) {
        case 'number':
          if (!Number.isFinite(value)) return `${where}: ${value} is not a finite number`;
          break;
        case 'string':
        case 'boolean':
          break;
        case 'object':
          if (!Number.isSafeInteger(value.amountMinor) || !isCurrencyCode(value.currency)) return `${where}: money_value needs an integer amount and an ISO 4217 currency`;
          break;
        default:
          return `${where}: not a feature value`;
      }
    }
  }
  return null;
}

/** The topic's definition; exported for the spec that holds `check` to what `decode` rejects. */
export const featureHistoryDefinition: TopicDefinition<FeatureHistory> = {
  name: 'bnpl.features.history',
  type: messagingType('FeatureHistory'),
  fromProto: fromProto.transform((p): FeatureHistory => p),
  check: checkFeatureHistory,
  toProto: (history) => ({
    featureView: history.featureView,
    rows: history.rows.map((row, i) => ({
      entityId: row.entityId,
      eventTime: toTimestamp(row.eventTime, `rows[${i}].eventTime`),
      readTime: toTimestamp(row.readTime, `rows[${i}].readTime`),
      values: Object.entries(row.values)
        .filter((e): e is [string, FeatureValue] => e[1] !== null && e[1] !== undefined)
        .map(([name, value]) => toValue(name, value, `rows[${i}].values.${name}`)),
    })),
  }),
};

/**
 * `bnpl.features.history`: published by the cdc-ingestor with every row it recomputes (part of applying a
 * batch, before the slot is acknowledged), consumed by batch-processors with an offline store, which append
 * the rows to the views' history (idempotent on view, entity and event time; the later read wins).
 */
export const featureHistoryTopic: Topic<FeatureHistory> = defineTopic(featureHistoryDefinition);
