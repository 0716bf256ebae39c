import { InvalidFeatureRefError, UnknownFeatureError, UnknownFeatureServiceError, UnknownFeatureViewError } from '@bnpl/feature-definitions';
import { InvalidHistoricalRequestError } from './errors/invalid-historical-request.error';
import { selectFeatures } from './feature-selection';
import { testCatalog } from './offline-store.test-catalog';

describe('selectFeatures', () => {
  it('keeps request order, groups features by view and collects the join keys in first-use order', () => {
    const s = selectFeatures(testCatalog, { features: ['merchant_risk:merchant_category', 'customer_exposure:utilization', 'merchant_risk:merchant_orders_90d'] });
    expect(s.features.map((f) => f.ref)).toEqual(['merchant_risk:merchant_category', 'customer_exposure:utilization', 'merchant_risk:merchant_orders_90d']);
    expect(s.views.map((v) => [v.view.name, v.features.map((f) => f.feature.name)])).toEqual([
      ['merchant_risk', ['merchant_category', 'merchant_orders_90d']],
      ['customer_exposure', ['utilization']],
    ]);
    expect(s.joinKeys).toEqual(['merchant_id', 'customer_id']);
    expect(s.omittedRequestFeatures).toEqual([]);
  });

  it('expands view:* and keeps a feature named twice once', () => {
    const s = selectFeatures(testCatalog, { features: ['customer_flags:*', 'customer_flags:is_vip'] });
    expect(s.features.map((f) => f.ref)).toEqual(['customer_flags:is_vip']);
  });

  it("takes a service's stored features and lists its request-time ones as omitted", () => {
    const s = selectFeatures(testCatalog, { featureService: 'credit_decision_v1' });
    expect(s.views.map((v) => v.view.name)).toEqual(['customer_profile', 'customer_exposure', 'customer_repayment', 'customer_spending', 'merchant_risk']);
    expect(s.omittedRequestFeatures).toEqual(['credit_request:requested_amount_to_avg_order_ratio', 'credit_request:exposure_after_order']);
  });

  it('rejects unknown names with the catalog errors, and request-time features asked by name', () => {
    expect(() => selectFeatures(testCatalog, { features: ['nope:*'] })).toThrow(UnknownFeatureViewError);
    expect(() => selectFeatures(testCatalog, { features: ['customer_flags:nope'] })).toThrow(UnknownFeatureError);
    expect(() => selectFeatures(testCatalog, { features: ['customer_flags'] })).toThrow(InvalidFeatureRefError);
    expect(() => selectFeatures(testCatalog, { featureService: 'nope_v1' })).toThrow(UnknownFeatureServiceError);
    expect(() => selectFeatures(testCatalog, { features: ['credit_request:*'] })).toThrow(/request-time view/);
  });

  it.each([
    [{}, 'exactly one'],
    [{ features: ['customer_flags:*'], featureService: 'credit_decision_v1' }, 'exactly one'],
    [{ features: [] }, 'non-empty list'],
    [{ features: 'customer_flags:*' }, 'non-empty list'],
    [{ features: [1] }, 'non-empty list'],
    [{ featureService: 1 }, 'service name'],
  ])('rejects a malformed selection %j', (request, message) => {
    expect(() => selectFeatures(testCatalog, request)).toThrow(InvalidHistoricalRequestError);
    expect(() => selectFeatures(testCatalog, request)).toThrow(message);
  });
});
