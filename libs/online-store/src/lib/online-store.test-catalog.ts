import { bnplCatalog, bnplSources, column, compute, customersSource, defineCatalog, defineFeatureView, feature, ValueType } from '@bnpl/feature-definitions';

// For tests only (not exported): the BNPL catalog plus a view with a BOOL feature, which the BNPL catalog
// does not have, so that round-trips cover every value type.
const customers = { ...customersSource, columns: { ...customersSource.columns, is_vip: column.bool() } };

export const customerFlagsView = defineFeatureView({
  name: 'customer_flags',
  entity: 'customer',
  owner: 'credit-risk',
  description: 'Test view: one of each value type.',
  ttlSeconds: 60,
  features: [
    feature({ name: 'is_vip', valueType: ValueType.BOOL, default: false, description: 'A flag.', compute: compute.attribute('is_vip') }),
    feature({ name: 'kyc', valueType: ValueType.INT64, default: 0, description: 'An integer.', compute: compute.attribute('kyc_level') }),
    feature({ name: 'label', valueType: ValueType.STRING, default: '', description: 'A string.', compute: compute.attribute('country') }),
    feature({ name: 'limit', valueType: ValueType.MONEY, default: { amountMinor: 0, currency: 'XXX' }, description: 'Money.', compute: compute.attribute('credit_limit_minor') }),
    feature({
      name: 'ratio',
      valueType: ValueType.DOUBLE,
      default: 0,
      description: 'A double.',
      compute: compute.ratio(compute.count('orders'), compute.count('installments')),
    }),
  ],
});

export const testCatalog = defineCatalog({
  entities: bnplCatalog.entities,
  sources: bnplSources.map((s) => (s.name === 'customers' ? customers : s)),
  views: [...bnplCatalog.views.map((v) => v.definition), customerFlagsView],
  requestViews: bnplCatalog.requestViews.map((v) => v.definition),
});
