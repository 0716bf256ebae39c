import { money } from '@bnpl/feature-definitions';
import { type GetOnlineFeaturesResult } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { feastResponseSchema } from './feast.schema';
import { FEAST_NO_TIMESTAMP, feastFeatureName, feastTimestamp, toFeastResponse } from './feast-response.mapper';

const T1 = new Date('2025-03-15T12:00:00.000Z');
const T2 = new Date('2025-03-15T12:00:00.250Z');

const result: GetOnlineFeaturesResult = {
  feature_names: ['customer_exposure:credit_limit', 'customer_repayment:on_time_rate_365d'],
  results: [
    {
      entityRow: { customer_id: '1' },
      values: [
        { value: money(90_000, 'EUR'), status: 'PRESENT', eventTime: T1 },
        { value: 1, status: 'DEFAULT', eventTime: T2 },
      ],
    },
    {
      entityRow: { customer_id: '2' },
      values: [
        { value: money(50_000, 'EUR'), status: 'STALE', eventTime: T1 },
        { value: 0.5, status: 'PRESENT', eventTime: T1 },
      ],
    },
    {
      entityRow: { customer_id: '404' },
      values: [
        { value: money(0, 'XXX'), status: 'MISSING', eventTime: null },
        { value: 1, status: 'MISSING', eventTime: null },
      ],
    },
  ],
};

describe('Feast get-online-features response', () => {
  it("lays out Feast's columns: entity keys first, then one entry per feature with a value per row", () => {
    const response = toFeastResponse(result, [{ name: 'customer_id', values: [1, '2', 404] }], false);
    expect(response).toEqual({
      metadata: { feature_names: ['customer_id', 'credit_limit', 'on_time_rate_365d'] },
      results: [
        { values: [1, '2', 404], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP] },
        {
          values: [money(90_000, 'EUR'), money(50_000, 'EUR'), money(0, 'XXX')],
          statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND'],
          event_timestamps: ['2025-03-15T12:00:00Z', '2025-03-15T12:00:00Z', '1970-01-01T00:00:00Z'],
        },
        {
          values: [1, 0.5, 1],
          statuses: ['NULL_VALUE', 'PRESENT', 'NOT_FOUND'],
          event_timestamps: ['2025-03-15T12:00:00.250Z', '2025-03-15T12:00:00Z', '1970-01-01T00:00:00Z'],
        },
      ],
    });
    expect(feastResponseSchema.safeParse(response).success).toBe(true);
  });

  it('names features view__feature with full feature names', () => {
    const response = toFeastResponse(result, [], true);
    expect(response.metadata.feature_names).toEqual(['customer_exposure__credit_limit', 'customer_repayment__on_time_rate_365d']);
    expect(response.results).toHaveLength(2);
  });

  it('refuses bare names that collide, as Feast does, pointing at full_feature_names', () => {
    const clashing: GetOnlineFeaturesResult = { ...result, feature_names: ['view_a:amount', 'view_b:amount'] };
    const act = () => toFeastResponse(clashing, [], false);
    expect(act).toThrow(InvalidRequestBodyError);
    expect(act).toThrow('Several requested features are named "amount" (view_a:amount, view_b:amount): set full_feature_names to true');
    expect(toFeastResponse(clashing, [], true).metadata.feature_names).toEqual(['view_a__amount', 'view_b__amount']);
  });

  it('writes timestamps as protobuf JSON does: UTC, no fraction when it is zero, the epoch for none', () => {
    expect(feastTimestamp(T1)).toBe('2025-03-15T12:00:00Z');
    expect(feastTimestamp(T2)).toBe('2025-03-15T12:00:00.250Z');
    expect(feastTimestamp(null)).toBe('1970-01-01T00:00:00Z');
    expect(feastFeatureName('customer_profile:kyc_level', false)).toBe('kyc_level');
    expect(feastFeatureName('customer_profile:kyc_level', true)).toBe('customer_profile__kyc_level');
  });
});
