import { money } from '@bnpl/feature-definitions';
import { type GetOnlineFeaturesResult } from '@bnpl/serving';
import { toFeaturesResponse } from './features-response.mapper';
import { featuresResponseSchema } from './online-features.schema';

const T = new Date('2025-03-15T11:59:00.000Z');

const result: GetOnlineFeaturesResult = {
  feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level', 'customer_profile:country'],
  results: [
    {
      entityRow: { customer_id: '1', merchant_id: '10' },
      values: [
        { value: money(20_000, 'EUR'), status: 'PRESENT', eventTime: T },
        { value: 2, status: 'STALE', eventTime: T },
        { value: 'DE', status: 'DEFAULT', eventTime: T },
      ],
    },
    {
      entityRow: { customer_id: '999999', merchant_id: undefined },
      values: [
        { value: money(0, 'XXX'), status: 'MISSING', eventTime: null },
        { value: 0, status: 'MISSING', eventTime: null },
        { value: '', status: 'MISSING', eventTime: null },
      ],
    },
  ],
};

describe('features response mapper', () => {
  it('writes the snake_case body: entity_row, event_time, money as in gRPC JSON', () => {
    expect(toFeaturesResponse(result)).toEqual({
      feature_names: ['customer_exposure:outstanding_balance', 'customer_profile:kyc_level', 'customer_profile:country'],
      results: [
        {
          entity_row: { customer_id: '1', merchant_id: '10' },
          values: [
            { value: { amount_minor: '20000', currency: 'EUR' }, status: 'PRESENT', event_time: '2025-03-15T11:59:00.000Z' },
            { value: 2, status: 'STALE', event_time: '2025-03-15T11:59:00.000Z' },
            { value: 'DE', status: 'DEFAULT', event_time: '2025-03-15T11:59:00.000Z' },
          ],
        },
        {
          entity_row: { customer_id: '999999' },
          values: [
            { value: { amount_minor: '0', currency: 'XXX' }, status: 'MISSING', event_time: null },
            { value: 0, status: 'MISSING', event_time: null },
            { value: '', status: 'MISSING', event_time: null },
          ],
        },
      ],
    });
  });

  it('answers what the documented schema describes, with no camelCase field left', () => {
    const body = toFeaturesResponse(result);
    expect(featuresResponseSchema.safeParse(body).error).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
  });
});
