import { bnplCatalog } from '../catalog/bnpl-catalog';
import { CatalogError } from '../errors/catalog.error';
import { FeatureStoreError } from '../errors/feature-store.error';
import { InvalidFeatureRefError, UnknownFeatureError, UnknownFeatureServiceError, UnknownFeatureViewError } from '../errors/unknown-feature.error';

describe('Catalog', () => {
  it('holds the BNPL views, request view and service', () => {
    expect(bnplCatalog.views.map((v) => v.name)).toEqual([
      'customer_profile',
      'customer_exposure',
      'customer_repayment',
      'customer_spending',
      'merchant_risk',
    ]);
    expect(bnplCatalog.requestViews.map((v) => v.name)).toEqual(['credit_request']);
    expect(bnplCatalog.getView('customer_exposure').entity).toMatchObject({ name: 'customer', idColumn: 'id', currencyColumn: 'currency' });
    expect(bnplCatalog.getView('merchant_risk').entity.source.name).toBe('merchants');
  });

  it('resolves credit_decision_v1 to every feature, the views to read, entities and request inputs', () => {
    const s = bnplCatalog.resolveService('credit_decision_v1');
    expect(s.service.version).toBe(1);
    const expected = [
      ...bnplCatalog.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)),
      'credit_request:requested_amount_to_avg_order_ratio',
      'credit_request:exposure_after_order',
    ];
    expect(s.features.map((f) => f.ref)).toEqual(expected);
    expect(s.storedViews.map((v) => v.name)).toEqual(bnplCatalog.views.map((v) => v.name));
    expect(s.entities).toEqual(['customer', 'merchant']);
    expect(s.requestInputs).toEqual({ requested_amount: 'MONEY' });
    expect(bnplCatalog.getService('credit_decision_v1')).toBe(s.service);
  });

  it('resolves refs in order, expanding view:* and dropping repeats', () => {
    const refs = bnplCatalog.resolveRefs(['customer_exposure:utilization', 'customer_exposure:*', 'credit_request:exposure_after_order']);
    expect(refs.map((r) => r.ref)).toEqual([
      'customer_exposure:utilization',
      'customer_exposure:active_plans_count',
      'customer_exposure:outstanding_balance',
      'customer_exposure:overdue_balance',
      'customer_exposure:credit_limit',
      'credit_request:exposure_after_order',
    ]);
    expect(refs[0]).toMatchObject({ kind: 'stored', feature: { name: 'utilization', valueType: 'DOUBLE', default: 1 } });
    expect(refs[5].kind).toBe('request');
    expect(bnplCatalog.getFeature('customer_profile:kyc_level').feature.valueType).toBe('INT64');
  });

  it.each([
    ['customer_exposure:nope', UnknownFeatureError, 'UNKNOWN_FEATURE', 'customer_exposure:nope'],
    ['nope:x', UnknownFeatureViewError, 'UNKNOWN_FEATURE_VIEW', 'nope'],
    ['nope:*', UnknownFeatureViewError, 'UNKNOWN_FEATURE_VIEW', 'nope'],
    ['customer_exposure', InvalidFeatureRefError, 'INVALID_FEATURE_REF', 'customer_exposure'],
    ['Customer:x', InvalidFeatureRefError, 'INVALID_FEATURE_REF', 'Customer:x'],
    ['a:b:c', InvalidFeatureRefError, 'INVALID_FEATURE_REF', 'a:b:c'],
  ])('rejects %s with a named error', (ref, type, reason, named) => {
    let caught: unknown;
    try {
      bnplCatalog.resolveRefs(['customer_profile:*', ref]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(type);
    expect(caught).toBeInstanceOf(CatalogError);
    expect(caught).toBeInstanceOf(FeatureStoreError);
    expect(caught).toMatchObject({ reason, subject: named });
    expect((caught as Error).message).toContain(`"${named}"`);
  });

  it('rejects unknown services and views, and request-time views where stored ones are needed', () => {
    expect(() => bnplCatalog.resolveService('credit_decision_v9')).toThrow(UnknownFeatureServiceError);
    expect(() => bnplCatalog.getView('nope')).toThrow(expect.objectContaining({ reason: 'UNKNOWN_FEATURE_VIEW' }));
    expect(() => bnplCatalog.getView('credit_request')).toThrow(/request-time view/);
    expect(() => bnplCatalog.getRequestView('customer_profile')).toThrow(UnknownFeatureViewError);
    expect(() => bnplCatalog.getEntity('shopper')).toThrow(expect.objectContaining({ reason: 'UNKNOWN_ENTITY' }));
    expect(() => bnplCatalog.getSource('loans')).toThrow(expect.objectContaining({ reason: 'UNKNOWN_SOURCE' }));
  });

  it('is frozen all the way down', () => {
    const view = bnplCatalog.getView('customer_spending');
    expect(Object.isFrozen(bnplCatalog)).toBe(true);
    expect(Object.isFrozen(bnplCatalog.views)).toBe(true);
    expect(Object.isFrozen(view.features[0])).toBe(true);
    expect(Object.isFrozen(view.plan.sources[0].aggregates[0])).toBe(true);
    expect(() => {
      (view.features as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (view as { ttlSeconds: number }).ttlSeconds = 1;
    }).toThrow(TypeError);
  });

  it('plans each distinct aggregate once per view, grouped by source, with the widest window', () => {
    const spending = bnplCatalog.getView('customer_spending').plan;
    expect(spending.sources).toHaveLength(1);
    expect(spending.sources[0]).toMatchObject({ keyColumn: 'customer_id', widestWindow: { days: 90, column: 'created_at', columnType: 'TIMESTAMP' } });
    // count 30d, sum 30d, sum 90d, count 90d, count_distinct 30d
    expect(spending.sources[0].aggregates.map((a) => `${a.id} ${a.fn} ${a.window?.days}`)).toEqual([
      'a0 count 30',
      'a1 sum 30',
      'a2 sum 90',
      'a3 count 90',
      'a4 count_distinct 30',
    ]);
    const repayment = bnplCatalog.getView('customer_repayment').plan;
    expect(repayment.sources.map((s) => `${s.source.name} ${s.widestWindow?.days}`)).toEqual(['installments 365', 'payments 7']);
    const exposure = bnplCatalog.getView('customer_exposure').plan;
    // Not windowed: every row of the entity is read.
    expect(exposure.sources.map((s) => [s.source.name, s.widestWindow])).toEqual([
      ['orders', undefined],
      ['installments', undefined],
    ]);
    const merchant = bnplCatalog.getView('merchant_risk').plan;
    expect(merchant.sources[0].keyColumn).toBe('merchant_id');
    expect(merchant.features.find((f) => f.name === 'merchant_default_rate_90d')?.computation).toMatchObject({
      kind: 'ratio',
      denominator: { kind: 'feature', feature: 'merchant_orders_90d' },
    });
  });
});
