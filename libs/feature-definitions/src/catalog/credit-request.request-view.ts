import { addMoney } from '../evaluation/money-arithmetic';
import { defineRequestFeatureView, requestFeature } from '../model/request-feature-view';
import { NO_CURRENCY, isMoney, ValueType } from '../model/value-type';
import { Owner } from './owners';

const AVG_ORDER = 'customer_spending:avg_order_amount_90d';
const OUTSTANDING = 'customer_exposure:outstanding_balance';

/** Features of the purchase being decided, computed from the request and stored features. */
export const creditRequestView = defineRequestFeatureView({
  name: 'credit_request',
  owner: Owner.DECISIONING,
  description: 'Features of the purchase being decided: computed per request, never stored.',
  features: [
    requestFeature({
      name: 'requested_amount_to_avg_order_ratio',
      valueType: ValueType.DOUBLE,
      default: 0,
      description:
        'requested_amount / avg_order_amount_90d. No value (default 0; status DEFAULT) without recent orders or ' +
        'when the currencies differ.',
      inputs: { requested_amount: ValueType.MONEY },
      reads: [AVG_ORDER],
      compute: ({ inputs, features }) => {
        const requested = inputs['requested_amount'];
        const avg = features[AVG_ORDER];
        if (!isMoney(requested) || !isMoney(avg) || avg.amountMinor === 0 || avg.currency !== requested.currency) return null;
        return requested.amountMinor / avg.amountMinor;
      },
    }),
    requestFeature({
      name: 'exposure_after_order',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description:
        'outstanding_balance + requested_amount: exposure if this order is approved. No value (status DEFAULT) if currencies differ or ' +
        'the sum is beyond 2^53-1 minor units.',
      inputs: { requested_amount: ValueType.MONEY },
      reads: [OUTSTANDING],
      compute: ({ inputs, features }) => {
        const requested = inputs['requested_amount'];
        const outstanding = features[OUTSTANDING];
        if (!isMoney(requested)) return null;
        return isMoney(outstanding) ? addMoney(outstanding, requested) : requested;
      },
    }),
  ],
});
