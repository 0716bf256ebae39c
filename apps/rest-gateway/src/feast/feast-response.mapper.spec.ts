import { money } from '@bnpl/feature-definitions';
import { type GetOnlineFeaturesResult } from '@bnpl/serving';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { type FeastQuery } from './feast-request.mapper';
import { FEAST_NO_TIMESTAMP, feastFeatureName, feastResponseJson, feastTimestamp, toFeastResponse } from './feast-response.mapper';
import { feastResponseSchema } from './feast.schema';

const T1 = new Date('2025-03-15T12:00:00.000Z');
const T2 = new Date('2025-03-15T12:00:00.250Z');

/** What the read path answers for the distinct rows 1, 2, 404. */
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

/** Request rows 1, 2, 404, 1 (the last one repeats the first), ids as a client sent them. */
const query = (fullFeatureNames = false): FeastQuery => ({
  command: { features: ['customer_exposure:credit_limit'], entityRows: [{ customer_id: '1' }, { customer_id: '2' }, { customer_id: '404' }] },
  keyColumns: [{ name: 'customer_id', ids: ['1', '2', '404', '1'] }],
  rowOf: [0, 1, 2, 0],
  fullFeatureNames,
});

describe('Feast get-online-features response', () => {
  it("lays out Feast's columns, fans repeated rows back out, and sends null for NOT_FOUND and NULL_VALUE", () => {
    expect(toFeastResponse(result, query())).toEqual({
      metadata: { feature_names: ['customer_id', 'credit_limit', 'on_time_rate_365d'] },
      results: [
        { values: [1n, 2n, 404n, 1n], statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP] },
        {
          values: [{ amount_minor: '90000', currency: 'EUR' }, { amount_minor: '50000', currency: 'EUR' }, null, { amount_minor: '90000', currency: 'EUR' }],
          statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND', 'PRESENT'],
          event_timestamps: ['2025-03-15T12:00:00Z', '2025-03-15T12:00:00Z', '1970-01-01T00:00:00Z', '2025-03-15T12:00:00Z'],
        },
        {
          values: [null, 0.5, null, null],
          statuses: ['NULL_VALUE', 'PRESENT', 'NOT_FOUND', 'NULL_VALUE'],
          event_timestamps: ['2025-03-15T12:00:00.250Z', '2025-03-15T12:00:00Z', '1970-01-01T00:00:00Z', '2025-03-15T12:00:00.250Z'],
        },
      ],
    });
  });

  it('writes JSON the documented schema accepts, entity ids as integers', () => {
    const text = feastResponseJson(toFeastResponse(result, query()));
    expect(text.startsWith('{"metadata":{"feature_names":["customer_id","credit_limit","on_time_rate_365d"]},"results":[{"values":[1,2,404,1],')).toBe(true);
    expect(feastResponseSchema.safeParse(JSON.parse(text)).error).toBeUndefined();
  });

  it('writes ids beyond 2^53 as exact JSON integers, as Feast writes INT64 entity values', () => {
    const big: FeastQuery = { ...query(), keyColumns: [{ name: 'customer_id', ids: ['9223372036854775807'] }], rowOf: [0] };
    const one: GetOnlineFeaturesResult = { feature_names: ['customer_profile:kyc_level'], results: [{ entityRow: { customer_id: '9223372036854775807' }, values: [{ value: 2, status: 'PRESENT', eventTime: T1 }] }] };
    expect(feastResponseJson(toFeastResponse(one, big))).toContain('"values":[9223372036854775807]');
  });

  it('names features view__feature with full feature names', () => {
    const response = toFeastResponse(result, query(true));
    expect(response.metadata.feature_names).toEqual(['customer_id', 'customer_exposure__credit_limit', 'customer_repayment__on_time_rate_365d']);
  });

  it('refuses bare names that collide, as Feast does, pointing at full_feature_names', () => {
    const clashing: GetOnlineFeaturesResult = { ...result, feature_names: ['view_a:amount', 'view_b:amount'] };
    const act = () => toFeastResponse(clashing, query());
    expect(act).toThrow(InvalidRequestBodyError);
    expect(act).toThrow('Several requested features are named "amount" (view_a:amount, view_b:amount): set full_feature_names to true');
    expect(toFeastResponse(clashing, query(true)).metadata.feature_names).toEqual(['customer_id', 'view_a__amount', 'view_b__amount']);
  });

  it('writes timestamps as protobuf JSON does: UTC, no fraction when it is zero, the epoch for none', () => {
    expect(feastTimestamp(T1)).toBe('2025-03-15T12:00:00Z');
    expect(feastTimestamp(T2)).toBe('2025-03-15T12:00:00.250Z');
    expect(feastTimestamp(null)).toBe('1970-01-01T00:00:00Z');
    expect(feastFeatureName('customer_profile:kyc_level', false)).toBe('kyc_level');
    expect(feastFeatureName('customer_profile:kyc_level', true)).toBe('customer_profile__kyc_level');
  });
});
