import { z } from 'zod';
import { isCurrencyCode, type FeatureRow, type FeatureValue } from '@bnpl/feature-definitions';
import { messagingType } from './messaging-types';
import { entityIdField, nameField, timestampField, toTimestamp } from './proto-fields';
import { defineTopic, type Topic } from './topic';

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

/**
 * `bnpl.features.history`: published by the cdc-ingestor with every row it recomputes (part of applying a
 * batch, before the slot is acknowledged), consumed by batch-processors with an offline store, which append
 * the rows to the views' history (idempotent on view, entity and event time; the later read wins).
 */
export const featureHistoryTopic: Topic<FeatureHistory> = defineTopic({
  name: 'bnpl.features.history',
  type: messagingType('FeatureHistory'),
  fromProto: fromProto.transform((p): FeatureHistory => p),
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
});
