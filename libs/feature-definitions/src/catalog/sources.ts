import { column, defineSource } from '../model/source';

// Descriptors of the BNPL core tables (libs/postgres/src/migrations/*-source-schema.ts). Only what features may
// read is declared: PII (customers.email, full_name, date_of_birth) is left out on purpose, so no feature
// can be defined over it.

export const ORDER_STATUSES = ['active', 'completed', 'defaulted', 'refunded', 'cancelled'] as const;
export const INSTALLMENT_STATUSES = ['scheduled', 'paid', 'overdue', 'written_off', 'cancelled'] as const;

export const customersSource = defineSource({
  name: 'customers',
  description: 'BNPL accounts, one row per customer.',
  columns: {
    id: column.id(),
    country: column.string({ description: 'ISO 3166-1 alpha-2' }),
    currency: column.string({ description: 'ISO 4217 account currency' }),
    kyc_level: column.int64({ description: '0 (none) .. 3 (fully verified)' }),
    credit_limit_minor: column.moneyMinor(),
    status: column.string({ values: ['active', 'suspended', 'closed'] }),
    created_at: column.timestamp(),
    updated_at: column.timestamp(),
  },
  keys: { customer: 'id' },
  // KYC level, country, limit and status are overwritten in place: backfills cannot know their past.
  history: { createdAt: 'created_at', immutable: ['id', 'currency'] },
  privateColumns: ['email', 'full_name', 'date_of_birth'],
});

export const merchantsSource = defineSource({
  name: 'merchants',
  description: 'Merchants, one row per merchant.',
  columns: {
    id: column.id(),
    name: column.string(),
    category: column.string(),
    country: column.string(),
    created_at: column.timestamp(),
  },
  keys: { merchant: 'id' },
  history: { createdAt: 'created_at', immutable: ['id'] },
});

export const ordersSource = defineSource({
  name: 'orders',
  description: 'Purchase plans: one order split into installments, in the customer currency.',
  columns: {
    id: column.id(),
    customer_id: column.id(),
    merchant_id: column.id(),
    amount_minor: column.moneyMinor(),
    currency: column.string(),
    installment_count: column.int64(),
    status: column.string({ values: ORDER_STATUSES }),
    created_at: column.timestamp(),
    updated_at: column.timestamp(),
  },
  keys: { customer: 'customer_id', merchant: 'merchant_id' },
  timeColumn: 'created_at',
  // An order's status changes without a time, and an order can move to another customer: only what
  // never changes is history.
  history: { createdAt: 'created_at', immutable: ['id', 'merchant_id', 'amount_minor', 'currency', 'installment_count'] },
});

export const installmentsSource = defineSource({
  name: 'installments',
  description: 'Scheduled repayments of orders; windows are over the due date.',
  columns: {
    id: column.id(),
    order_id: column.id(),
    customer_id: column.id(),
    seq: column.int64(),
    amount_minor: column.moneyMinor(),
    currency: column.string(),
    due_date: column.date(),
    status: column.string({ values: INSTALLMENT_STATUSES }),
    paid_at: column.timestamp({ nullable: true }),
    days_past_due: column.int64({ description: 'days late: so far if unpaid, at payment if paid' }),
    updated_at: column.timestamp(),
  },
  keys: { customer: 'customer_id' },
  timeColumn: 'due_date',
  // Created with their order, before they fall due. Whether an instalment was paid by an instant, and how
  // late it was then, follow from paid_at and due_date; a cancellation or write-off carries no time.
  history: {
    datedRowsExisted: true,
    immutable: ['id', 'order_id', 'customer_id', 'seq', 'amount_minor', 'currency', 'due_date'],
    rebuilt: {
      status: { rule: 'instalment_status', paidAt: 'paid_at', dueDate: 'due_date' },
      days_past_due: { rule: 'instalment_days_late', paidAt: 'paid_at', dueDate: 'due_date' },
    },
  },
});

export const paymentsSource = defineSource({
  name: 'payments',
  description: 'Payment attempts against installments.',
  columns: {
    id: column.id(),
    installment_id: column.id(),
    customer_id: column.id(),
    amount_minor: column.moneyMinor(),
    currency: column.string(),
    status: column.string({ values: ['succeeded', 'failed'] }),
    failure_reason: column.string({ nullable: true }),
    attempted_at: column.timestamp(),
  },
  keys: { customer: 'customer_id' },
  timeColumn: 'attempted_at',
  history: { createdAt: 'attempted_at', immutable: ['id', 'installment_id', 'customer_id', 'amount_minor', 'currency', 'status', 'failure_reason'] },
});

export const bnplSources = [customersSource, merchantsSource, ordersSource, installmentsSource, paymentsSource];
