import { bnplCatalog } from '@bnpl/feature-definitions';
import { describeCatalog, describeFeatureService } from './describe-catalog';

describe('describeCatalog', () => {
  const described = describeCatalog(bnplCatalog);

  it('lists every entity, stored and request view, and service of the catalog', () => {
    expect(described.entities.map((e) => e.name)).toEqual(bnplCatalog.entities.map((e) => e.name));
    expect(described.views.map((v) => v.name)).toEqual([...bnplCatalog.views, ...bnplCatalog.requestViews].map((v) => v.name));
    expect(described.services.map((s) => s.name)).toEqual(bnplCatalog.services.map((s) => s.name));
  });

  it('gives stored views their entity and TTL and request views their inputs', () => {
    const exposure = described.views.find((v) => v.name === 'customer_exposure');
    expect(exposure).toMatchObject({ kind: 'stored', entity: 'customer', ttlSeconds: bnplCatalog.getView('customer_exposure').ttlSeconds, requestInputs: {} });
    expect(exposure?.features.find((f) => f.name === 'outstanding_balance')).toMatchObject({ ref: 'customer_exposure:outstanding_balance', valueType: 'MONEY' });
    const request = described.views.find((v) => v.kind === 'request');
    expect(request).toMatchObject({ entity: null, ttlSeconds: null });
    expect(Object.keys(request?.requestInputs ?? {})).toContain('requested_amount');
  });

  it('describes credit_decision_v1 with its expanded features, join keys and request inputs', () => {
    const service = describeFeatureService(bnplCatalog, 'credit_decision_v1');
    expect(service.features.map((f) => f.ref)).toEqual(bnplCatalog.resolveService('credit_decision_v1').features.map((f) => f.ref));
    expect(service.requiredJoinKeys).toEqual(['customer_id', 'merchant_id']);
    expect(service.requestInputs).toHaveProperty('requested_amount', 'MONEY');
  });

  it('rejects an unknown service naming it', () => {
    expect(() => describeFeatureService(bnplCatalog, 'credit_decision_v9')).toThrow(/credit_decision_v9/);
  });
});
