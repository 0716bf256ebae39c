import { selectFeatures } from './feature-selection';
import { toHistoricalRow } from './historical-rows';
import { outputLayout } from './offline-layout';
import { testCatalog } from './offline-store.test-catalog';

describe('toHistoricalRow', () => {
  const layout = outputLayout(selectFeatures(testCatalog, { features: ['customer_exposure:credit_limit', 'merchant_risk:merchant_category', 'customer_exposure:utilization'] }), ['label']);
  const t = new Date('2025-03-01T00:00:00Z');
  const columns: Record<string, unknown> = {
    customer_id: '1',
    merchant_id: '2',
    event_timestamp: t,
    label: 1,
    customer_exposure__event_timestamp: t,
    customer_exposure__credit_limit__amount_minor: 500,
    customer_exposure__credit_limit__currency: 'GBP',
    customer_exposure__credit_limit__status: 'PRESENT',
    customer_exposure__utilization: 1,
    customer_exposure__utilization__status: 'DEFAULT',
    merchant_risk__event_timestamp: null,
    merchant_risk__merchant_category: 'unknown',
    merchant_risk__merchant_category__status: 'MISSING',
  };

  it('assembles entity columns, MONEY values and statuses, features in request order', () => {
    expect(toHistoricalRow(layout, (c) => columns[c])).toEqual({
      entityRow: { customer_id: '1', merchant_id: '2', event_timestamp: t, label: 1 },
      features: [
        { value: { amountMinor: 500, currency: 'GBP' }, status: 'PRESENT', eventTime: t },
        { value: 'unknown', status: 'MISSING', eventTime: null },
        { value: 1, status: 'DEFAULT', eventTime: t },
      ],
    });
  });

  it('refuses a status outside the four', () => {
    expect(() => toHistoricalRow(layout, (c) => (c === 'customer_exposure__utilization__status' ? 'FRESH' : columns[c]))).toThrow('Unexpected status FRESH');
  });
});
