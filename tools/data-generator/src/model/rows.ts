/**
 * One interface per source table, column for column (camelCase). Instants are seconds since the epoch
 * (UTC), calendar dates are days since the epoch, money is integer minor units.
 */
export type CustomerStatus = 'active' | 'suspended' | 'closed';
export type OrderStatus = 'active' | 'completed' | 'defaulted' | 'refunded' | 'cancelled';
export type InstallmentStatus = 'scheduled' | 'paid' | 'overdue' | 'written_off' | 'cancelled';
export type PaymentStatus = 'succeeded' | 'failed';

export interface CustomerRow {
  id: number;
  email: string;
  fullName: string;
  /** Day number; null for a few legacy accounts. */
  dateOfBirth: number | null;
  country: string;
  currency: string;
  kycLevel: number;
  creditLimitMinor: number;
  status: CustomerStatus;
  createdAt: number;
  updatedAt: number;
}

export interface MerchantRow {
  id: number;
  name: string;
  category: string;
  country: string;
  createdAt: number;
}

export interface OrderRow {
  id: number;
  customerId: number;
  merchantId: number;
  amountMinor: number;
  currency: string;
  installmentCount: number;
  status: OrderStatus;
  createdAt: number;
  updatedAt: number;
}

export interface InstallmentRow {
  id: number;
  orderId: number;
  customerId: number;
  seq: number;
  amountMinor: number;
  currency: string;
  /** Day number. */
  dueDate: number;
  status: InstallmentStatus;
  paidAt: number | null;
  daysPastDue: number;
  updatedAt: number;
}

export interface PaymentRow {
  id: number;
  installmentId: number;
  customerId: number;
  amountMinor: number;
  currency: string;
  status: PaymentStatus;
  failureReason: string | null;
  attemptedAt: number;
}

/** Receives a customer's rows as they are generated; must consume them synchronously. */
export interface RowSink {
  customer(row: CustomerRow): void;
  order(row: OrderRow): void;
  installment(row: InstallmentRow): void;
  payment(row: PaymentRow): void;
}

/** The five source tables, parents first (the order they must be committed in). */
export const TABLES = ['merchants', 'customers', 'orders', 'installments', 'payments'] as const;
export type TableName = (typeof TABLES)[number];
export type RowCounts = Record<TableName, number>;

export function zeroCounts(): RowCounts {
  return { merchants: 0, customers: 0, orders: 0, installments: 0, payments: 0 };
}
