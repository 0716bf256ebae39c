import { SECONDS_PER_DAY as DAY } from './calendar';
import { generateCustomer, IdSequences, MAX_DAYS_LATE, WRITE_OFF_AFTER_DAYS } from './customer-history';
import { MerchantCatalog } from './merchants';
import { Prng } from './prng';
import { type CustomerRow, type InstallmentRow, type OrderRow, type PaymentRow, type RowSink } from './rows';

class CollectingSink implements RowSink {
  customers: CustomerRow[] = [];
  orders: OrderRow[] = [];
  installments: InstallmentRow[] = [];
  payments: PaymentRow[] = [];
  customer(row: CustomerRow): void {
    this.customers.push({ ...row });
  }
  order(row: OrderRow): void {
    this.orders.push({ ...row });
  }
  installment(row: InstallmentRow): void {
    this.installments.push({ ...row });
  }
  payment(row: PaymentRow): void {
    this.payments.push({ ...row });
  }
}

/**
 * Row-by-row invariants are collected rather than asserted one by one: a hundred thousand jest
 * assertions take seconds, and the first few violations say more than the first one.
 */
class Violations {
  private readonly found: string[] = [];
  check(ok: boolean, what: string, row: unknown): void {
    if (!ok && this.found.length < 10) this.found.push(`${what}: ${JSON.stringify(row)}`);
  }
  assertNone(): void {
    expect(this.found).toEqual([]);
  }
}

const AS_OF_DAY = Date.UTC(2025, 0, 1) / 1000 / DAY;
const AS_OF = AS_OF_DAY * DAY;

function generate(seed: number, customers: number, firstId = 1): CollectingSink {
  const ctx = { seed, asOfDay: AS_OF_DAY, merchants: new MerchantCatalog(seed, 60, AS_OF_DAY) };
  const ids = new IdSequences();
  const rng = new Prng(0);
  const sink = new CollectingSink();
  for (let id = firstId; id < firstId + customers; id++) generateCustomer(ctx, ids, id, rng, sink);
  return sink;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

describe('generateCustomer', () => {
  const data = generate(42, 3_000);
  const installmentsByOrder = groupBy(data.installments, (i) => i.orderId);
  const paymentsByInstallment = groupBy(data.payments, (p) => p.installmentId);
  const orderById = new Map(data.orders.map((o) => [o.id, o]));
  const customerById = new Map(data.customers.map((c) => [c.id, c]));

  it('is deterministic: the same seed gives identical rows, another seed different ones', () => {
    // Compared as JSON: toEqual over ~70k rows takes seconds.
    expect(JSON.stringify(generate(42, 3_000))).toBe(JSON.stringify(data));
    expect(generate(43, 50).customers).not.toEqual(generate(42, 50).customers);
  });

  it("derives a customer's rows from its id alone (ids of child rows aside)", () => {
    const alone = generate(42, 1, 1_234);
    const withOthers = data.customers.find((c) => c.id === 1_234);
    expect(alone.customers[0]).toEqual(withOthers);
    const theirOrders = data.orders.filter((o) => o.customerId === 1_234);
    expect(alone.orders.map(({ id: _id, ...rest }) => rest)).toEqual(theirOrders.map(({ id: _id, ...rest }) => rest));
  });

  it('allocates dense, increasing ids', () => {
    for (const rows of [data.orders, data.installments, data.payments]) {
      const ids = rows.map((r) => r.id).sort((a, b) => a - b);
      expect(ids[0]).toBe(1);
      expect(ids[ids.length - 1]).toBe(ids.length);
    }
  });

  it('splits every order into instalments summing exactly to its amount, in its currency', () => {
    const v = new Violations();
    for (const order of data.orders) {
      const parts = installmentsByOrder.get(order.id) ?? [];
      v.check(parts.length === order.installmentCount && parts.every((i, k) => i.seq === k + 1), 'instalment seqs', order);
      v.check(parts.reduce((sum, i) => sum + i.amountMinor, 0) === order.amountMinor, 'instalments sum to the order amount', order);
      v.check(parts.every((i) => i.currency === order.currency && i.customerId === order.customerId), 'instalment currency and customer', order);
      v.check(order.currency === customerById.get(order.customerId)?.currency, 'order in the account currency', order);
    }
    v.assertNone();
  });

  it('keeps every event before as-of and after the events it depends on', () => {
    const v = new Violations();
    for (const c of data.customers) v.check(c.createdAt <= c.updatedAt && c.updatedAt < AS_OF, 'customer times', c);
    for (const o of data.orders) {
      v.check(o.createdAt > (customerById.get(o.customerId)?.createdAt ?? Infinity), 'order after signup', o);
      v.check(o.createdAt <= o.updatedAt && o.updatedAt < AS_OF, 'order times', o);
    }
    for (const i of data.installments) {
      v.check(i.updatedAt < AS_OF, 'instalment updated before as-of', i);
      v.check(i.paidAt === null || (i.paidAt > (orderById.get(i.orderId)?.createdAt ?? Infinity) && i.paidAt < AS_OF), 'paid after the order, before as-of', i);
    }
    for (const p of data.payments) v.check(p.attemptedAt < AS_OF, 'payment before as-of', p);
    v.assertNone();
  });

  it('gives instalments statuses consistent with their dates and as-of', () => {
    const v = new Violations();
    for (const i of data.installments) {
      const order = orderById.get(i.orderId) as OrderRow;
      switch (i.status) {
        case 'scheduled':
          v.check(i.dueDate >= AS_OF_DAY && i.paidAt === null && i.daysPastDue === 0 && order.status === 'active', 'scheduled', i);
          break;
        case 'paid': {
          const paidDay = Math.floor((i.paidAt as number) / DAY);
          v.check(i.daysPastDue === Math.max(0, paidDay - i.dueDate) && i.daysPastDue <= MAX_DAYS_LATE, 'paid', i);
          break;
        }
        case 'overdue':
          // Written off by the collections run after WRITE_OFF_AFTER_DAYS, so at most that many days past due.
          v.check(i.paidAt === null && i.dueDate < AS_OF_DAY && i.daysPastDue === AS_OF_DAY - i.dueDate && i.daysPastDue <= WRITE_OFF_AFTER_DAYS, 'overdue', i);
          v.check(order.status === 'active', 'overdue in an active order', i);
          break;
        case 'written_off':
          v.check(i.paidAt === null && order.status === 'defaulted', 'written off', i);
          break;
        case 'cancelled':
          v.check(i.paidAt === null && (order.status === 'cancelled' || order.status === 'refunded'), 'cancelled', i);
          break;
      }
    }
    v.assertNone();
  });

  it('gives orders statuses consistent with their instalments', () => {
    const v = new Violations();
    for (const order of data.orders) {
      const statuses = new Set((installmentsByOrder.get(order.id) ?? []).map((i) => i.status));
      if (order.status === 'completed') v.check(statuses.size === 1 && statuses.has('paid'), 'completed = all paid', order);
      if (order.status === 'active') v.check(statuses.has('scheduled') || statuses.has('overdue'), 'active = something left to pay', order);
      if (order.status === 'defaulted') v.check(statuses.has('written_off'), 'defaulted = written off', order);
      if (order.status === 'cancelled') v.check(statuses.size === 1 && statuses.has('cancelled'), 'cancelled = all cancelled', order);
      if (order.status !== 'defaulted') v.check(!statuses.has('written_off'), 'written off only when defaulted', order);
    }
    v.assertNone();
  });

  it('records one succeeded payment per paid instalment, after its failed attempts', () => {
    const v = new Violations();
    for (const i of data.installments) {
      const attempts = paymentsByInstallment.get(i.id) ?? [];
      const succeeded = attempts.filter((p) => p.status === 'succeeded');
      v.check(succeeded.length === (i.status === 'paid' ? 1 : 0), 'one success per paid instalment', i);
      if (i.status === 'paid') v.check(succeeded[0]?.attemptedAt === i.paidAt && attempts[attempts.length - 1] === succeeded[0], 'success last, at paid_at', i);
      if (i.status === 'overdue') v.check(attempts.length > 0, 'overdue instalments have failed attempts', i);
      if (i.status === 'scheduled') v.check(attempts.length === 0, 'nothing attempted before due', i);
      v.check(attempts.every((p, k) => k === 0 || p.attemptedAt > attempts[k - 1].attemptedAt), 'attempts in time order', i);
      v.check(attempts.every((p) => p.amountMinor === i.amountMinor && (p.failureReason === null) === (p.status === 'succeeded')), 'attempt amount and reason', i);
    }
    v.assertNone();
  });

  it('produces plausible distributions', () => {
    const n = data.customers.length;
    const orderCounts = groupBy(data.orders, (o) => o.customerId);
    const withoutOrders = data.customers.filter((c) => !orderCounts.has(c.id)).length;
    const maxOrders = Math.max(...[...orderCounts.values()].map((l) => l.length));
    const share = (rows: { status: string }[], status: string) => rows.filter((r) => r.status === status).length / rows.length;

    expect(withoutOrders / n).toBeGreaterThan(0.05);
    expect(withoutOrders / n).toBeLessThan(0.4);
    expect(maxOrders).toBeGreaterThanOrEqual(24); // a heavy tail: some customers with dozens
    expect(data.installments.length / n).toBeGreaterThan(7);
    expect(data.installments.length / n).toBeLessThan(15);
    expect(share(data.orders, 'defaulted')).toBeGreaterThan(0.01);
    expect(share(data.orders, 'defaulted')).toBeLessThan(0.08);
    expect(share(data.orders, 'refunded')).toBeGreaterThan(0.02);
    expect(share(data.orders, 'cancelled')).toBeGreaterThan(0.005);
    expect(share(data.customers, 'suspended')).toBeGreaterThan(0.01);
    expect(share(data.customers, 'closed')).toBeGreaterThan(0.005);
    const paid = data.installments.filter((i) => i.status === 'paid');
    const late = paid.filter((i) => i.daysPastDue > 0).length / paid.length;
    expect(late).toBeGreaterThan(0.02);
    expect(late).toBeLessThan(0.2);
    expect(new Set(data.customers.map((c) => c.country)).size).toBe(6);
    expect(new Set(data.customers.map((c) => c.kycLevel)).size).toBe(4);
  });

  it('makes risky customers consistently risky: defaulters also pay late and fail more', () => {
    const defaulters = new Set(data.orders.filter((o) => o.status === 'defaulted').map((o) => o.customerId));
    const paidLateRate = (pred: (customerId: number) => boolean) => {
      const paid = data.installments.filter((i) => i.status === 'paid' && pred(i.customerId));
      return paid.filter((i) => i.daysPastDue > 0).length / paid.length;
    };
    const failureRate = (pred: (customerId: number) => boolean) => {
      const rows = data.payments.filter((p) => pred(p.customerId));
      return rows.filter((p) => p.status === 'failed').length / rows.length;
    };
    expect(paidLateRate((c) => defaulters.has(c))).toBeGreaterThan(3 * paidLateRate((c) => !defaulters.has(c)));
    expect(failureRate((c) => defaulters.has(c))).toBeGreaterThan(2 * failureRate((c) => !defaulters.has(c)));
  });

  it('generates plausible fake PII', () => {
    const v = new Violations();
    for (const c of data.customers) {
      v.check(/^[a-z.]+\d+@example\.(com|org|net)$/.test(c.email), 'email', c);
      v.check(/^\S+ \S+$/.test(c.fullName), 'full name', c);
      const age = c.dateOfBirth === null ? 30 : (Math.floor(c.createdAt / DAY) - c.dateOfBirth) / 365.25;
      v.check(age >= 18 && age < 77, 'adult at signup', c);
    }
    v.assertNone();
    expect(new Set(data.customers.map((c) => c.email)).size).toBe(data.customers.length);
  });
});
