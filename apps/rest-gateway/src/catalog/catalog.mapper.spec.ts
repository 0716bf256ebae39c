import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog, describeFeatureService } from '@bnpl/serving';
import { toCatalogJson, toFeatureServiceJson } from './catalog.mapper';
import { catalogSchema, featureServiceSchema } from './catalog.schema';

describe('catalog mapper', () => {
  const description = describeCatalog(bnplCatalog);
  const catalog = toCatalogJson(description);

  it('writes every field of the description under its snake_case name', () => {
    expect(catalog.entities).toEqual(description.entities.map((e) => ({ name: e.name, join_key: e.joinKey, description: e.description })));
    const exposure = catalog.views.find((v) => v.name === 'customer_exposure');
    expect(exposure).toMatchObject({ kind: 'stored', entity: 'customer', ttl_seconds: 3600, request_inputs: {} });
    expect(catalog.views.find((v) => v.name === 'credit_request')).toMatchObject({ kind: 'request', entity: null, ttl_seconds: null, request_inputs: { requested_amount: 'MONEY' } });
    expect(exposure?.features.find((f) => f.name === 'outstanding_balance')).toMatchObject({ ref: 'customer_exposure:outstanding_balance', value_type: 'MONEY', default: { amount_minor: '0', currency: 'XXX' } });
  });

  it('writes a feature service as the catalog lists it', () => {
    const service = toFeatureServiceJson(describeFeatureService(bnplCatalog, 'credit_decision_v1'));
    expect(service).toEqual(catalog.services[0]);
    expect(service).toMatchObject({ name: 'credit_decision_v1', required_join_keys: ['customer_id', 'merchant_id'], request_inputs: { requested_amount: 'MONEY' } });
    expect(featureServiceSchema.parse(service)).toEqual(service);
  });

  it('answers what the documented schema describes, with no camelCase field left', () => {
    expect(catalogSchema.parse(catalog)).toEqual(catalog);
    expect(JSON.stringify(catalog)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
  });
});
