/**
 * Rows -> PostgreSQL COPY text format (tab-separated, `\N` for NULL, backslash escapes), one function
 * per table with its column list. Lines are appended to per-table strings: V8 concatenates into ropes,
 * flattened once when the chunk is encoded, which is far cheaper than an array of lines and a join.
 */
import { formatDay, formatTimestamp } from './model/calendar';
import { type CustomerRow, type InstallmentRow, type MerchantRow, type OrderRow, type PaymentRow, type RowSink, type TableName } from './model/rows';

export const COLUMNS: Record<TableName, readonly string[]> = {
  merchants: ['id', 'name', 'category', 'country', 'created_at'],
  customers: ['id', 'email', 'full_name', 'date_of_birth', 'country', 'currency', 'kyc_level', 'credit_limit_minor', 'status', 'created_at', 'updated_at'],
  orders: ['id', 'customer_id', 'merchant_id', 'amount_minor', 'currency', 'installment_count', 'status', 'created_at', 'updated_at'],
  installments: ['id', 'order_id', 'customer_id', 'seq', 'amount_minor', 'currency', 'due_date', 'status', 'paid_at', 'days_past_due', 'updated_at'],
  payments: ['id', 'installment_id', 'customer_id', 'amount_minor', 'currency', 'status', 'failure_reason', 'attempted_at'],
};

export function copyStatement(table: TableName): string {
  return `COPY ${table} (${COLUMNS[table].join(', ')}) FROM STDIN`;
}

const NULL = '\\N';
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** Escapes a text value for COPY text format. Generated values rarely need it, so test first. */
export function copyText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export function merchantLine(r: MerchantRow): string {
  return `${r.id}\t${copyText(r.name)}\t${r.category}\t${r.country}\t${formatTimestamp(r.createdAt)}\n`;
}

export function customerLine(r: CustomerRow): string {
  const dob = r.dateOfBirth === null ? NULL : formatDay(r.dateOfBirth);
  return `${r.id}\t${copyText(r.email)}\t${copyText(r.fullName)}\t${dob}\t${r.country}\t${r.currency}\t${r.kycLevel}\t${r.creditLimitMinor}\t${r.status}\t${formatTimestamp(r.createdAt)}\t${formatTimestamp(r.updatedAt)}\n`;
}

export function orderLine(r: OrderRow): string {
  return `${r.id}\t${r.customerId}\t${r.merchantId}\t${r.amountMinor}\t${r.currency}\t${r.installmentCount}\t${r.status}\t${formatTimestamp(r.createdAt)}\t${formatTimestamp(r.updatedAt)}\n`;
}

export function installmentLine(r: InstallmentRow): string {
  const paidAt = r.paidAt === null ? NULL : formatTimestamp(r.paidAt);
  return `${r.id}\t${r.orderId}\t${r.customerId}\t${r.seq}\t${r.amountMinor}\t${r.currency}\t${formatDay(r.dueDate)}\t${r.status}\t${paidAt}\t${r.daysPastDue}\t${formatTimestamp(r.updatedAt)}\n`;
}

export function paymentLine(r: PaymentRow): string {
  const reason = r.failureReason === null ? NULL : copyText(r.failureReason);
  return `${r.id}\t${r.installmentId}\t${r.customerId}\t${r.amountMinor}\t${r.currency}\t${r.status}\t${reason}\t${formatTimestamp(r.attemptedAt)}\n`;
}

/** A RowSink that accumulates COPY text per table until `take()`. */
export class CopyTextSink implements RowSink {
  customers = '';
  orders = '';
  installments = '';
  payments = '';
  readonly rows = { customers: 0, orders: 0, installments: 0, payments: 0 };

  customer(row: CustomerRow): void {
    this.customers += customerLine(row);
    this.rows.customers++;
  }

  order(row: OrderRow): void {
    this.orders += orderLine(row);
    this.rows.orders++;
  }

  installment(row: InstallmentRow): void {
    this.installments += installmentLine(row);
    this.rows.installments++;
  }

  payment(row: PaymentRow): void {
    this.payments += paymentLine(row);
    this.rows.payments++;
  }

  /** The text and row counts accumulated since the last call, per table; resets the sink. */
  take(): Record<'customers' | 'orders' | 'installments' | 'payments', { text: string; rows: number }> {
    const out = {
      customers: { text: this.customers, rows: this.rows.customers },
      orders: { text: this.orders, rows: this.rows.orders },
      installments: { text: this.installments, rows: this.rows.installments },
      payments: { text: this.payments, rows: this.rows.payments },
    };
    this.customers = this.orders = this.installments = this.payments = '';
    this.rows.customers = this.rows.orders = this.rows.installments = this.rows.payments = 0;
    return out;
  }
}
