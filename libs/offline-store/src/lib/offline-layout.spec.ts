import { selectFeatures } from './feature-selection';
import { outputLayout, reservedColumnNames, viewTableColumns } from './offline-layout';
import { testCatalog } from './offline-store.test-catalog';

describe('offline layout', () => {
  it('stores a view as entity_id, event_timestamp, created_at and a typed column per feature (MONEY as two)', () => {
    expect(viewTableColumns(testCatalog.getView('customer_exposure'))).toEqual([
      { name: 'entity_id', type: 'INT64' },
      { name: 'event_timestamp', type: 'TIMESTAMP' },
      { name: 'created_at', type: 'TIMESTAMP' },
      { name: 'active_plans_count', type: 'INT64' },
      { name: 'outstanding_balance__amount_minor', type: 'INT64' },
      { name: 'outstanding_balance__currency', type: 'STRING' },
      { name: 'overdue_balance__amount_minor', type: 'INT64' },
      { name: 'overdue_balance__currency', type: 'STRING' },
      { name: 'credit_limit__amount_minor', type: 'INT64' },
      { name: 'credit_limit__currency', type: 'STRING' },
      { name: 'utilization', type: 'DOUBLE' },
    ]);
  });

  it('lays a training set out as keys, timestamp, labels, then per view its event time and features', () => {
    const selection = selectFeatures(testCatalog, { features: ['customer_flags:is_vip', 'merchant_risk:merchant_category', 'customer_exposure:credit_limit'] });
    const layout = outputLayout(selection, ['label']);
    expect(layout.columns).toEqual([
      'customer_id',
      'merchant_id',
      'event_timestamp',
      'label',
      'customer_flags__event_timestamp',
      'customer_flags__is_vip',
      'customer_flags__is_vip__status',
      'merchant_risk__event_timestamp',
      'merchant_risk__merchant_category',
      'merchant_risk__merchant_category__status',
      'customer_exposure__event_timestamp',
      'customer_exposure__credit_limit__amount_minor',
      'customer_exposure__credit_limit__currency',
      'customer_exposure__credit_limit__status',
    ]);
    expect(layout.features.map((f) => f.selected.ref)).toEqual(selection.features.map((f) => f.ref));
    expect(layout.views.map((v) => v.joinKey)).toEqual(['customer_id', 'merchant_id', 'customer_id']);
  });

  it('reserves the output column names, in lower case', () => {
    const reserved = reservedColumnNames(selectFeatures(testCatalog, { features: ['customer_flags:*'] }));
    expect([...reserved]).toEqual(['customer_id', 'event_timestamp', 'customer_flags__event_timestamp', 'customer_flags__is_vip', 'customer_flags__is_vip__status']);
  });
});
