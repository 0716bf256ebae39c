import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog, describeFeatureService } from '@bnpl/serving';
import { toFeatureService, toGetCatalogResponse } from './catalog.mapper';

describe('toGetCatalogResponse', () => {
  const described = describeCatalog(bnplCatalog);
  const response = toGetCatalogResponse(described);

  it('lists what describeCatalog lists (what GET /v1/catalog serves), in the same order', () => {
    expect(response.entities).toEqual(described.entities.map((e) => ({ name: e.name, join_key: e.joinKey, description: e.description })));
    expect(response.feature_views?.map((v) => v.name)).toEqual(described.views.map((v) => v.name));
    expect(response.feature_services?.map((s) => s.name)).toEqual(described.services.map((s) => s.name));
  });

  it('describes a stored view with its entity, TTL and typed defaults', () => {
    const exposure = response.feature_views?.find((v) => v.name === 'customer_exposure');
    expect(exposure).toMatchObject({ kind: 'FEATURE_VIEW_KIND_STORED', entity: 'customer', ttl_seconds: 3600, request_inputs: {} });
    expect(exposure?.features?.find((f) => f.name === 'outstanding_balance')).toEqual({
      ref: 'customer_exposure:outstanding_balance',
      name: 'outstanding_balance',
      value_type: 'VALUE_TYPE_MONEY',
      default_value: { money_value: { amount_minor: 0, currency: 'XXX' } },
      description: expect.stringContaining('instalments'),
    });
  });

  it('describes a request-time view with its inputs and no entity or TTL', () => {
    expect(response.feature_views?.find((v) => v.name === 'credit_request')).toMatchObject({
      kind: 'FEATURE_VIEW_KIND_REQUEST',
      entity: '',
      ttl_seconds: 0,
      request_inputs: { requested_amount: 'VALUE_TYPE_MONEY' },
    });
  });
});

describe('toFeatureService', () => {
  it('gives credit_decision_v1 its expanded features, required join keys and request inputs', () => {
    const described = describeFeatureService(bnplCatalog, 'credit_decision_v1');
    const service = toFeatureService(described);
    expect(service).toMatchObject({ name: 'credit_decision_v1', version: 1, owner: described.owner, required_join_keys: ['customer_id', 'merchant_id'], request_inputs: { requested_amount: 'VALUE_TYPE_MONEY' } });
    expect(service.features?.map((f) => f.ref)).toEqual(described.features.map((f) => f.ref));
  });
});
