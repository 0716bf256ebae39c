import { countResultRows } from './http-feature-client';
import { grpcFeatureRequest, merchantFor, restFeaturePath } from './feature-request';

describe('feature requests', () => {
  it('count result rows without parsing', () => {
    expect(countResultRows('{"feature_names":[],"results":[{"entity_row":{"customer_id":"1"},"values":[]}]}')).toBe(1);
    expect(countResultRows('{"results":[{"entity_row":{}},{"entity_row":{}}]}')).toBe(2);
    // The field's name before this version: no longer a result row.
    expect(countResultRows('{"results":[{"entityRow":{}}]}')).toBe(0);
    expect(countResultRows('{"type":"about:blank","status":400}')).toBe(0);
  });

  it('ask REST and gRPC for the same customer, merchant and amount', () => {
    expect(merchantFor(7, 5)).toBe(3);
    expect(restFeaturePath(7, 5)).toBe('/v1/customers/7/features?service=credit_decision_v1&merchant_id=3&requested_amount_minor=12000&currency=EUR');
    expect(grpcFeatureRequest([7, 8], 5)).toEqual({
      feature_service: 'credit_decision_v1',
      entities: [
        { keys: [{ join_key: 'customer_id', id: '7' }, { join_key: 'merchant_id', id: '3' }] },
        { keys: [{ join_key: 'customer_id', id: '8' }, { join_key: 'merchant_id', id: '4' }] },
      ],
      request_context: { requested_amount: { money_value: { amount_minor: '12000', currency: 'EUR' } } },
    });
  });
});
