import { bnplCatalog } from '@bnpl/feature-definitions';
import { PermissionDeniedError } from '../errors/permission-denied.error';
import type { Principal } from '../principal';
import { FeatureAccessPolicy } from './feature-access-policy';
import { requireScope } from './scope-check';

const principal = (name: string, scopes: Principal['scopes'] = new Set(['features:read'])): Principal => ({ id: `key:${name}`, name, kind: 'api-key', scopes });

const denial = (f: () => void) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(PermissionDeniedError);
    return { reason: (error as PermissionDeniedError).reason, message: (error as Error).message };
  }
  return undefined;
};

describe('requireScope', () => {
  it('lets a principal with the scope through and names the missing scope otherwise', () => {
    expect(denial(() => requireScope(principal('a'), 'features:read'))).toBeUndefined();
    expect(denial(() => requireScope(principal('a'), 'jobs:write'))).toEqual({ reason: 'MISSING_SCOPE', message: 'This call needs the scope jobs:write; this API key grants features:read' });
    expect(denial(() => requireScope(principal('a', new Set()), 'admin'))?.message).toMatch(/grants no scope/);
  });
});

describe('FeatureAccessPolicy', () => {
  const restricted = new FeatureAccessPolicy(bnplCatalog, {
    services: { credit_decision_v1: ['risk-engine', 'risk-shadow'] },
    views: { customer_spending: ['risk-engine', 'growth-team'] },
  });

  it('is open without restrictions', () => {
    const open = new FeatureAccessPolicy(bnplCatalog);
    expect(open.open).toBe(true);
    expect(denial(() => open.check(principal('anyone'), { featureService: 'credit_decision_v1' }))).toBeUndefined();
  });

  it('lets named principals read a restricted service and no one else', () => {
    expect(denial(() => restricted.check(principal('risk-engine'), { featureService: 'credit_decision_v1' }))).toBeUndefined();
    expect(denial(() => restricted.check(principal('web-app'), { featureService: 'credit_decision_v1' }))).toEqual({
      reason: 'FEATURE_SERVICE_RESTRICTED',
      message: 'The feature service "credit_decision_v1" is restricted to named principals, and "web-app" is not one of them',
    });
  });

  it('holds a service to the restrictions of the views it reads', () => {
    // risk-shadow may read the service, but not customer_spending, which the service includes.
    expect(denial(() => restricted.check(principal('risk-shadow'), { featureService: 'credit_decision_v1' }))?.reason).toBe('FEATURE_VIEW_RESTRICTED');
  });

  it('restricts views by reference, whatever the form of the list', () => {
    expect(denial(() => restricted.check(principal('growth-team'), { features: ['customer_spending:orders_30d'] }))).toBeUndefined();
    expect(denial(() => restricted.check(principal('web-app'), { features: ['customer_profile:kyc_level'] }))).toBeUndefined();
    for (const features of [['customer_spending:*'], 'customer_profile:kyc_level, customer_spending:orders_30d', ['customer_profile:*', ' customer_spending:orders_30d ']]) {
      expect(denial(() => restricted.check(principal('web-app'), { features }))?.reason).toBe('FEATURE_VIEW_RESTRICTED');
    }
  });

  it('counts a request-time view with the stored views it reads', () => {
    // requested_amount_to_avg_order_ratio reads customer_spending:avg_order_amount_90d.
    expect(denial(() => restricted.check(principal('web-app'), { features: ['credit_request:requested_amount_to_avg_order_ratio'] }))?.reason).toBe('FEATURE_VIEW_RESTRICTED');
  });

  it('leaves unknown names and malformed input to the read path', () => {
    for (const selection of [{ featureService: 'nope' }, { features: ['nope:x', 'bad ref'] }, { featureService: 42, features: { a: 1 } }, {}]) {
      expect(denial(() => restricted.check(principal('web-app'), selection))).toBeUndefined();
    }
  });

  it('refuses restrictions naming what the catalog does not have, or malformed principal names', () => {
    expect(() => new FeatureAccessPolicy(bnplCatalog, { services: { nope: ['a'] }, views: {} })).toThrow(/feature service "nope" is not in the catalog/);
    expect(() => new FeatureAccessPolicy(bnplCatalog, { services: {}, views: { nope: ['a'] } })).toThrow(/feature view "nope"/);
    expect(() => new FeatureAccessPolicy(bnplCatalog, { services: { credit_decision_v1: ['a b'] }, views: {} })).toThrow(/not a principal name/);
  });
});
