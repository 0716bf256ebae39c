import { bnplCatalog, bnplSources, column, compute, customersSource, defineCatalog, defineFeatureView, feature, ValueType } from '@bnpl/feature-definitions';

// For tests only (not exported): the BNPL catalog plus a view with a BOOL feature (the BNPL catalog has
// none) and a one-minute TTL, so that retrievals cover every value type and a short TTL beside long ones.
const customers = { ...customersSource, columns: { ...customersSource.columns, is_vip: column.bool() } };

export const customerFlagsView = defineFeatureView({
  name: 'customer_flags',
  entity: 'customer',
  owner: 'team-credit-risk',
  description: 'Test view: a flag with a short TTL.',
  ttlSeconds: 60,
  features: [feature({ name: 'is_vip', valueType: ValueType.BOOL, default: false, description: 'A flag.', compute: compute.attribute('is_vip') })],
});

function catalogWith(flags: typeof customerFlagsView) {
  return defineCatalog({
    entities: bnplCatalog.entities,
    sources: bnplSources.map((s) => (s.name === 'customers' ? customers : s)),
    views: [...bnplCatalog.views.map((v) => v.definition), flags],
    requestViews: bnplCatalog.requestViews.map((v) => v.definition),
    services: bnplCatalog.services,
  });
}

export const testCatalog = catalogWith(customerFlagsView);

/** The same, after a feature was added to customer_flags: its table gains a column. */
export const testCatalogWithNewFeature = catalogWith({
  ...customerFlagsView,
  features: [...customerFlagsView.features, feature({ name: 'tier', valueType: ValueType.STRING, default: 'none', description: 'Added later.', compute: compute.attribute('country') })],
});
