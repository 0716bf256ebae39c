import type { FeatureValue } from '@bnpl/feature-definitions';
import { checkFeatureHistory, featureHistoryDefinition, featureHistoryTopic, type FeatureHistory } from './feature-history.topic';

const row = (over: object = {}) => ({ entityId: '42', eventTime: new Date('2025-03-15T10:00:00.123Z'), readTime: new Date('2025-03-15T10:00:00.150Z'), values: {}, ...over });

describe('featureHistoryTopic', () => {
  it('round-trips every value type, integers and doubles alike as JS numbers, and null as absent', () => {
    const history: FeatureHistory = {
      featureView: 'customer_exposure',
      rows: [
        row({ values: { active_plans_count: 3, utilization: 0.25, whole: 1, name: 'DE', flag: false, balance: { amountMinor: -1200, currency: 'EUR' }, credit_limit: null } }),
        row({ entityId: '9007199254740993' }),
      ],
    };
    const decoded = featureHistoryTopic.decode(featureHistoryTopic.encode(history));
    expect(decoded.featureView).toBe('customer_exposure');
    expect(decoded.rows[0]).toEqual(row({ values: { active_plans_count: 3, utilization: 0.25, whole: 1, name: 'DE', flag: false, balance: { amountMinor: -1200, currency: 'EUR' } } }));
    expect(decoded.rows[1].entityId).toBe('9007199254740993');
  });

  it('refuses what a consumer could not write: no rows, a bad id, a missing time, a bad amount', () => {
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [] })).toThrow(/rows: must carry at least one row/);
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [row({ entityId: '0' })] })).toThrow(/entityId: must be a positive integer/);
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [row({ readTime: new Date(Number.NaN) })] })).toThrow(/readTime/);
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [row({ values: { m: { amountMinor: 1, currency: 'euro' } } })] })).toThrow(/ISO 4217/);
    expect(() => featureHistoryTopic.encode({ featureView: 'Bad', rows: [row()] })).toThrow(/featureView: must be a lower_snake_case name/);
  });

  it('checks the history itself as strictly as decoding its encoding would (random histories, good and bad)', () => {
    const { type, toProto } = featureHistoryDefinition;
    /** What the round trip makes of a history: the decoded history, or the fact that it fails. */
    const roundTrip = (h: FeatureHistory): FeatureHistory | 'rejected' => {
      try {
        return featureHistoryTopic.decode(type.encode(type.fromObject(toProto(h))).finish());
      } catch {
        return 'rejected';
      }
    };
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const bad = () => random() < 0.08;
    const value = (): FeatureValue | null =>
      pick<() => FeatureValue | null>([
        () => (bad() ? pick([Number.NaN, Infinity]) : pick([0, -3, 2 ** 53 - 1, 0.25, -1e300])),
        () => pick(['', 'DE', 'Zürich']),
        () => random() < 0.5,
        () => ({ amountMinor: bad() ? pick([1.5, 2 ** 60]) : pick([0, -1200, 99]), currency: bad() ? pick(['euro', 'eur', '']) : pick(['EUR', 'GBP']) }),
        () => null,
      ])();
    let accepted = 0;
    let rejected = 0;
    for (let n = 0; n < 2_000; n++) {
      const history: FeatureHistory = {
        featureView: bad() ? pick(['Bad', '', '9view']) : 'customer_exposure',
        rows: Array.from({ length: bad() ? 0 : 1 + Math.floor(random() * 3) }, () => ({
          entityId: bad() ? pick(['0', '007', '-1', 'x', '']) : pick(['1', '42', '9223372036854775807']),
          eventTime: bad() ? new Date(Number.NaN) : new Date(1_700_000_000_000 + Math.floor(random() * 1e10)),
          readTime: bad() ? new Date(Number.NaN) : new Date(1_700_000_000_000 + Math.floor(random() * 1e10)),
          values: Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [bad() ? pick(['Bad', 'a-b', '']) : `f_${i}`, value()])),
        })),
      };
      const problem = checkFeatureHistory(history);
      const back = roundTrip(history);
      // Whatever the round trip refuses, the check refuses; whatever the check lets through comes back whole.
      if (back === 'rejected') expect({ n, problem }).toEqual({ n, problem: expect.any(String) });
      if (problem === null) {
        accepted++;
        const withoutNulls = history.rows.map((r) => ({ ...r, values: Object.fromEntries(Object.entries(r.values).filter(([, v]) => v !== null)) }));
        expect(back).toEqual({ featureView: history.featureView, rows: withoutNulls });
      } else rejected++;
    }
    // Both kinds were tried.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });

  it('encode refuses with the check, without decoding what it wrote', () => {
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [row({ values: { m: { amountMinor: 1.5, currency: 'EUR' } } })] })).toThrow(/rows.0.values.m: money_value/);
    expect(() => featureHistoryTopic.encode({ featureView: 'v', rows: [row({ values: { 'Bad-name': 1 } })] })).toThrow(/rows.0.values.Bad-name: must be a lower_snake_case name/);
  });
});
