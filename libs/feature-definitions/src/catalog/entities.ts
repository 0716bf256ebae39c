import { defineEntity } from '../model/entity';

/** A shopper with a BNPL account; all of a customer's plans are in the customer's currency. */
export const customerEntity = defineEntity({
  name: 'customer',
  joinKey: 'customer_id',
  table: 'customers',
  currencyColumn: 'currency',
  description: 'A shopper with a BNPL account (customers.id).',
});

/** A merchant selling through BNPL plans. Merchants have no money features (no single currency). */
export const merchantEntity = defineEntity({
  name: 'merchant',
  joinKey: 'merchant_id',
  table: 'merchants',
  description: 'A merchant selling through BNPL plans (merchants.id).',
});
