/**
 * Rows -> PostgreSQL COPY text format (tab-separated, `\N` for NULL, backslash escapes), written
 * straight into Buffers.
 *
 * Why bytes and not strings: a template-literal line per row is a tree of cons-strings; holding a
 * slice's worth of them (hundreds of thousands of small objects) until it is sent made the young
 * generation GC cost ~4x the generation itself. Writing digits and dates as bytes allocates nothing
 * per row.
 */
import { dateOfDay, SECONDS_PER_DAY } from './model/calendar';
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

const TAB = 9;
const NEWLINE = 10;
const ZERO = 48;
const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** The longest row we write, text columns aside (which are checked separately). */
const ROW_RESERVE = 512;

/** A growable byte buffer with COPY text encoders for the value types of the source tables. */
export class CopyTextBuffer {
  private buf: Buffer;
  private pos = 0;
  rows = 0;

  constructor(private capacity = 1 << 18) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /**
   * The bytes written since the last call. The returned Buffer is handed over (it is not reused), so it
   * can sit in a socket's write queue while the next slice is generated.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    // Start the next chunk at the size this one reached, so steady state never regrows.
    this.capacity = Math.max(this.capacity, this.pos + ROW_RESERVE);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
    this.rows = 0;
    return out;
  }

  /** Makes room for `bytes` more. */
  reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  tab(): void {
    this.buf[this.pos++] = TAB;
  }

  endRow(): void {
    this.buf[this.pos++] = NEWLINE;
    this.rows++;
  }

  null(): void {
    this.buf[this.pos++] = 92; // \
    this.buf[this.pos++] = 78; // N
  }

  /** A safe integer in decimal. */
  int(value: number): void {
    let n = value;
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = 45; // -
      n = -n;
    }
    if (n < 10) {
      buf[this.pos++] = ZERO + n;
      return;
    }
    const end = this.pos + digitCount(n);
    let p = end;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = ZERO + (n - q * 10);
      n = q;
    }
    buf[--p] = ZERO + n;
    this.pos = end;
  }

  /** A short string known to be ASCII with nothing to escape (codes, statuses). */
  ascii(value: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < value.length; i++) buf[p++] = value.charCodeAt(i);
    this.pos = p;
  }

  /** Any text, UTF-8 encoded and escaped. */
  text(value: string): void {
    const escaped = NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
    this.reserve(escaped.length * 3);
    this.pos += this.buf.write(escaped, this.pos, 'utf8');
  }

  /** A day number as `YYYY-MM-DD`. */
  day(day: number): void {
    const ymd = civil(day);
    const buf = this.buf;
    let p = this.pos;
    const y = ymd >>> 9;
    const m = (ymd >>> 5) & 15;
    const d = ymd & 31;
    buf[p++] = ZERO + Math.floor(y / 1000);
    buf[p++] = ZERO + (Math.floor(y / 100) % 10);
    buf[p++] = ZERO + (Math.floor(y / 10) % 10);
    buf[p++] = ZERO + (y % 10);
    buf[p++] = 45;
    buf[p++] = ZERO + Math.floor(m / 10);
    buf[p++] = ZERO + (m % 10);
    buf[p++] = 45;
    buf[p++] = ZERO + Math.floor(d / 10);
    buf[p++] = ZERO + (d % 10);
    this.pos = p;
  }

  /** Seconds since the epoch as `YYYY-MM-DD HH:MM:SS+00`, the cheapest timestamptz for PostgreSQL to parse. */
  timestamp(seconds: number): void {
    const day = Math.floor(seconds / SECONDS_PER_DAY);
    let tod = seconds - day * SECONDS_PER_DAY;
    this.day(day);
    const buf = this.buf;
    let p = this.pos;
    const h = Math.floor(tod / 3600);
    tod -= h * 3600;
    const m = Math.floor(tod / 60);
    const s = tod - m * 60;
    buf[p++] = 32; // space
    buf[p++] = ZERO + Math.floor(h / 10);
    buf[p++] = ZERO + (h % 10);
    buf[p++] = 58; // :
    buf[p++] = ZERO + Math.floor(m / 10);
    buf[p++] = ZERO + (m % 10);
    buf[p++] = 58;
    buf[p++] = ZERO + Math.floor(s / 10);
    buf[p++] = ZERO + (s % 10);
    buf[p++] = 43; // +
    buf[p++] = ZERO;
    buf[p++] = ZERO;
    this.pos = p;
  }
}

function escapeChar(c: string): string {
  return c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r';
}

function digitCount(n: number): number {
  let count = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    count++;
  }
  return count;
}

// Day number -> (year << 9 | month << 5 | day), cached: the model uses a few thousand distinct dates.
const FIRST_CACHED_DAY = -25_567; // 1900-01-01
const civilCache = new Int32Array(73_049); // up to 2100-01-01; 0 = not computed yet

function civil(day: number): number {
  const i = day - FIRST_CACHED_DAY;
  const cached = i >= 0 && i < civilCache.length ? civilCache[i] : 0;
  if (cached !== 0) return cached;
  const date = dateOfDay(day);
  const packed = (date.getUTCFullYear() << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  if (i >= 0 && i < civilCache.length) civilCache[i] = packed;
  return packed;
}

export function writeMerchant(b: CopyTextBuffer, r: MerchantRow): void {
  b.reserve(ROW_RESERVE);
  b.int(r.id);
  b.tab();
  b.text(r.name);
  b.tab();
  b.ascii(r.category);
  b.tab();
  b.ascii(r.country);
  b.tab();
  b.timestamp(r.createdAt);
  b.endRow();
}

export function writeCustomer(b: CopyTextBuffer, r: CustomerRow): void {
  b.reserve(ROW_RESERVE);
  b.int(r.id);
  b.tab();
  b.text(r.email);
  b.tab();
  b.text(r.fullName);
  b.reserve(ROW_RESERVE); // the text columns may have used the reserve
  b.tab();
  if (r.dateOfBirth === null) b.null();
  else b.day(r.dateOfBirth);
  b.tab();
  b.ascii(r.country);
  b.tab();
  b.ascii(r.currency);
  b.tab();
  b.int(r.kycLevel);
  b.tab();
  b.int(r.creditLimitMinor);
  b.tab();
  b.ascii(r.status);
  b.tab();
  b.timestamp(r.createdAt);
  b.tab();
  b.timestamp(r.updatedAt);
  b.endRow();
}

export function writeOrder(b: CopyTextBuffer, r: OrderRow): void {
  b.reserve(ROW_RESERVE);
  b.int(r.id);
  b.tab();
  b.int(r.customerId);
  b.tab();
  b.int(r.merchantId);
  b.tab();
  b.int(r.amountMinor);
  b.tab();
  b.ascii(r.currency);
  b.tab();
  b.int(r.installmentCount);
  b.tab();
  b.ascii(r.status);
  b.tab();
  b.timestamp(r.createdAt);
  b.tab();
  b.timestamp(r.updatedAt);
  b.endRow();
}

export function writeInstallment(b: CopyTextBuffer, r: InstallmentRow): void {
  b.reserve(ROW_RESERVE);
  b.int(r.id);
  b.tab();
  b.int(r.orderId);
  b.tab();
  b.int(r.customerId);
  b.tab();
  b.int(r.seq);
  b.tab();
  b.int(r.amountMinor);
  b.tab();
  b.ascii(r.currency);
  b.tab();
  b.day(r.dueDate);
  b.tab();
  b.ascii(r.status);
  b.tab();
  if (r.paidAt === null) b.null();
  else b.timestamp(r.paidAt);
  b.tab();
  b.int(r.daysPastDue);
  b.tab();
  b.timestamp(r.updatedAt);
  b.endRow();
}

export function writePayment(b: CopyTextBuffer, r: PaymentRow): void {
  b.reserve(ROW_RESERVE);
  b.int(r.id);
  b.tab();
  b.int(r.installmentId);
  b.tab();
  b.int(r.customerId);
  b.tab();
  b.int(r.amountMinor);
  b.tab();
  b.ascii(r.currency);
  b.tab();
  b.ascii(r.status);
  b.tab();
  if (r.failureReason === null) b.null();
  else b.text(r.failureReason);
  b.tab();
  b.timestamp(r.attemptedAt);
  b.endRow();
}

/** The per-customer tables (merchants are written once, up front). */
export type CustomerTable = Exclude<TableName, 'merchants'>;

/** A RowSink that encodes every row into its table's CopyTextBuffer. */
export class CopyTextSink implements RowSink {
  readonly buffers: Record<CustomerTable, CopyTextBuffer> = {
    customers: new CopyTextBuffer(),
    orders: new CopyTextBuffer(),
    installments: new CopyTextBuffer(),
    payments: new CopyTextBuffer(),
  };

  customer(row: CustomerRow): void {
    writeCustomer(this.buffers.customers, row);
  }

  order(row: OrderRow): void {
    writeOrder(this.buffers.orders, row);
  }

  installment(row: InstallmentRow): void {
    writeInstallment(this.buffers.installments, row);
  }

  payment(row: PaymentRow): void {
    writePayment(this.buffers.payments, row);
  }
}
