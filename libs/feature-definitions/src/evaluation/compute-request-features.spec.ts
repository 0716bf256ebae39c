import { bnplCatalog } from '../catalog/bnpl-catalog';
import { InvalidRequestInputError } from '../errors/invalid-argument.error';
import { computeRequestFeatures } from './compute-request-features';

const view = bnplCatalog.getRequestView('credit_request');
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

describe('computeRequestFeatures (credit_request)', () => {
  it('computes the ratio to the average order and the exposure after the order', () => {
    expect(
      computeRequestFeatures(view, { requested_amount: eur(15000) }, {
        'customer_spending:avg_order_amount_90d': eur(10000),
        'customer_exposure:outstanding_balance': eur(2500),
      }),
    ).toEqual({ requested_amount_to_avg_order_ratio: 1.5, exposure_after_order: eur(17500) });
  });

  it('yields null (the default applies) without an average or with another currency; defaults are neutral', () => {
    expect(
      computeRequestFeatures(view, { requested_amount: eur(15000) }, {
        'customer_spending:avg_order_amount_90d': { amountMinor: 0, currency: 'XXX' },
        'customer_exposure:outstanding_balance': { amountMinor: 0, currency: 'XXX' },
      }),
    ).toEqual({ requested_amount_to_avg_order_ratio: null, exposure_after_order: eur(15000) });
    expect(
      computeRequestFeatures(view, { requested_amount: eur(1) }, {
        'customer_spending:avg_order_amount_90d': { amountMinor: 5, currency: 'GBP' },
        'customer_exposure:outstanding_balance': { amountMinor: 5, currency: 'GBP' },
      }),
    ).toEqual({ requested_amount_to_avg_order_ratio: null, exposure_after_order: null });
    expect(computeRequestFeatures(view, { requested_amount: eur(1) }, {}, ['exposure_after_order'])).toEqual({ exposure_after_order: eur(1) });
  });

  it('yields null (DEFAULT), never an error, when arithmetic on an in-range input leaves the exact range', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(
      computeRequestFeatures(view, { requested_amount: eur(max) }, {
        'customer_spending:avg_order_amount_90d': eur(1),
        'customer_exposure:outstanding_balance': eur(1),
      }),
    ).toEqual({ requested_amount_to_avg_order_ratio: max, exposure_after_order: null });
    expect(
      computeRequestFeatures(view, { requested_amount: eur(-max) }, {
        'customer_spending:avg_order_amount_90d': eur(3),
        'customer_exposure:outstanding_balance': eur(-max),
      }),
    ).toEqual({ requested_amount_to_avg_order_ratio: -max / 3, exposure_after_order: null });
  });

  it('rejects missing or ill-typed inputs, naming them', () => {
    expect(() => computeRequestFeatures(view, {}, {})).toThrow(InvalidRequestInputError);
    expect(() => computeRequestFeatures(view, { requested_amount: { amountMinor: 1.5, currency: 'EUR' } }, {})).toThrow(/"requested_amount"/);
    expect(() => computeRequestFeatures(view, { requested_amount: eur(1) }, {}, ['nope'])).toThrow(expect.objectContaining({ reason: 'UNKNOWN_FEATURE' }));
  });
});
