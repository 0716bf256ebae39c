import { compute, defineFeatureView, feature } from '../model/feature-view';
import { where } from '../model/predicate';
import { NO_CURRENCY, ValueType } from '../model/value-type';
import { HOUR, Owner } from './owners';

/** Instalments still owed: scheduled (not yet due or due today) and overdue ones. */
const owed = where.in('status', ['scheduled', 'overdue']);

export const customerExposureView = defineFeatureView({
  name: 'customer_exposure',
  entity: 'customer',
  owner: Owner.CREDIT_RISK,
  description: 'What the customer owes now against the credit limit. Current state: not windowed.',
  ttlSeconds: HOUR,
  features: [
    feature({
      name: 'active_plans_count',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Orders (plans) with status active.',
      compute: compute.count('orders', { where: where.eq('status', 'active') }),
    }),
    feature({
      name: 'outstanding_balance',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description: 'Sum of instalments still owed (scheduled or overdue), whatever their due date.',
      compute: compute.sum('installments', 'amount_minor', { where: owed }),
    }),
    feature({
      name: 'overdue_balance',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description: 'Sum of overdue instalments: the part of the outstanding balance already late.',
      compute: compute.sum('installments', 'amount_minor', { where: where.eq('status', 'overdue') }),
    }),
    feature({
      name: 'credit_limit',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description: 'The credit limit granted to the customer.',
      compute: compute.attribute('credit_limit_minor'),
    }),
    feature({
      name: 'utilization',
      valueType: ValueType.DOUBLE,
      // Conservative: with a zero limit there is no headroom, which is what 1.0 says.
      default: 1,
      description:
        'outstanding_balance / credit_limit. May exceed 1. No value (default 1.0, no headroom) when the limit is 0.',
      compute: compute.ratio(compute.feature('outstanding_balance'), compute.feature('credit_limit')),
    }),
  ],
});
