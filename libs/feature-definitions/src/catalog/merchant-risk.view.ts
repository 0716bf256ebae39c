import { compute, defineFeatureView, feature } from '../model/feature-view';
import { where } from '../model/predicate';
import { ValueType } from '../model/value-type';
import { DAY, Owner } from './owners';

const placed = where.ne('status', 'cancelled');

export const merchantRiskView = defineFeatureView({
  name: 'merchant_risk',
  entity: 'merchant',
  owner: Owner.MERCHANT_RISK,
  description:
    'Outcome rates of the merchant\'s recent orders. Orders are windowed by creation date, so the most recent ' +
    'ones have had little time to default: read the rates together with merchant_orders_90d.',
  ttlSeconds: DAY,
  features: [
    feature({
      name: 'merchant_category',
      valueType: ValueType.STRING,
      default: 'unknown',
      description: 'Merchant category.',
      compute: compute.attribute('category'),
    }),
    feature({
      name: 'merchant_orders_90d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Orders placed with the merchant in the last 90 days (cancelled excluded): the rates\' sample size.',
      compute: compute.count('orders', { where: placed, window: 90 }),
    }),
    feature({
      name: 'merchant_default_rate_90d',
      valueType: ValueType.DOUBLE,
      default: 0,
      description: 'Share of merchant_orders_90d now defaulted. Default 0 without orders.',
      compute: compute.ratio(
        compute.count('orders', { where: where.eq('status', 'defaulted'), window: 90 }),
        compute.feature('merchant_orders_90d'),
      ),
    }),
    feature({
      name: 'merchant_refund_rate_90d',
      valueType: ValueType.DOUBLE,
      default: 0,
      description: 'Share of merchant_orders_90d now refunded. Default 0 without orders.',
      compute: compute.ratio(
        compute.count('orders', { where: where.eq('status', 'refunded'), window: 90 }),
        compute.feature('merchant_orders_90d'),
      ),
    }),
  ],
});
