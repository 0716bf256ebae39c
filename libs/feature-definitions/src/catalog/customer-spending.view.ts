import { compute, defineFeatureView, feature } from '../model/feature-view';
import { where } from '../model/predicate';
import { NO_CURRENCY, ValueType } from '../model/value-type';
import { HOUR, Owner } from './owners';

// Orders by creation time; cancelled orders never became plans and are left out. Refunded ones stay:
// they are still purchases the customer made.
const placed = where.ne('status', 'cancelled');

export const customerSpendingView = defineFeatureView({
  name: 'customer_spending',
  entity: 'customer',
  owner: Owner.CREDIT_RISK,
  description: 'Purchase activity over recent windows (orders by creation date, cancelled ones excluded).',
  ttlSeconds: 6 * HOUR,
  features: [
    feature({
      name: 'orders_30d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Orders placed in the last 30 days.',
      compute: compute.count('orders', { where: placed, window: 30 }),
    }),
    feature({
      name: 'order_amount_sum_30d',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description: 'Total amount of the orders placed in the last 30 days.',
      compute: compute.sum('orders', 'amount_minor', { where: placed, window: 30 }),
    }),
    feature({
      name: 'avg_order_amount_90d',
      valueType: ValueType.MONEY,
      default: { amountMinor: 0, currency: NO_CURRENCY },
      description:
        'Average amount of the orders placed in the last 90 days, rounded half up to the minor unit. No value ' +
        '(default 0 XXX) without orders.',
      compute: compute.ratio(
        compute.sum('orders', 'amount_minor', { where: placed, window: 90 }),
        compute.count('orders', { where: placed, window: 90 }),
      ),
    }),
    feature({
      name: 'distinct_merchants_30d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Distinct merchants of the orders placed in the last 30 days.',
      compute: compute.countDistinct('orders', 'merchant_id', { where: placed, window: 30 }),
    }),
  ],
});
