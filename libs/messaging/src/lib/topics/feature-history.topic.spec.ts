import { featureHistoryTopic, type FeatureHistory } from './feature-history.topic';

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
});
