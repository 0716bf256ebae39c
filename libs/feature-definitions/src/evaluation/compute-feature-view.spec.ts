import { bnplCatalog } from '../catalog/bnpl-catalog';
import { FeatureComputationError } from '../errors/feature-computation.error';
import { InvalidAsOfError } from '../errors/invalid-argument.error';
import { computeFeatureViewFromRows } from './compute-feature-view';

const AS_OF = new Date('2025-03-15T10:20:30.000Z');
const customer = (over: Record<string, unknown> = {}) => ({
  id: '42',
  country: 'GB',
  currency: 'GBP',
  kyc_level: 2,
  credit_limit_minor: '100000',
  status: 'active',
  created_at: new Date('2024-03-15T08:00:00.000Z'),
  updated_at: new Date('2025-01-01T00:00:00.000Z'),
  ...over,
});
let nextId = 1;
const order = (createdAt: string, amount: number, over: Record<string, unknown> = {}) => ({
  id: String(nextId++),
  customer_id: '42',
  merchant_id: '7',
  amount_minor: amount,
  currency: 'GBP',
  installment_count: 4,
  status: 'active',
  created_at: createdAt,
  updated_at: createdAt,
  ...over,
});
const installment = (dueDate: string, status: string, daysPastDue: number, amount = 2500) => ({
  id: String(nextId++),
  order_id: '1',
  customer_id: 42,
  seq: 1,
  amount_minor: amount,
  currency: 'GBP',
  due_date: dueDate,
  status,
  paid_at: null,
  days_past_due: daysPastDue,
  updated_at: '2025-01-01T00:00:00Z',
});
const payment = (attemptedAt: string, status: 'failed' | 'succeeded') => ({
  id: String(nextId++),
  installment_id: '1',
  customer_id: 42n,
  amount_minor: 2500,
  currency: 'GBP',
  status,
  failure_reason: status === 'failed' ? 'insufficient_funds' : null,
  attempted_at: new Date(attemptedAt),
});

const view = (name: string) => bnplCatalog.getView(name);
function present<T>(value: T | null): T {
  expect(value).not.toBeNull();
  return value as T;
}

describe('computeFeatureViewFromRows', () => {
  it('returns null for an entity that does not exist', () => {
    expect(computeFeatureViewFromRows(view('customer_spending'), null, {}, AS_OF)).toBeNull();
  });

  it('gives counts and sums 0, max and empty ratios null, for a customer without history', () => {
    expect(computeFeatureViewFromRows(view('customer_spending'), customer(), {}, AS_OF)).toEqual({
      orders_30d: 0,
      order_amount_sum_30d: { amountMinor: 0, currency: 'GBP' },
      avg_order_amount_90d: null,
      distinct_merchants_30d: 0,
    });
    expect(computeFeatureViewFromRows(view('customer_repayment'), customer(), {}, AS_OF)).toEqual({
      late_installments_90d: 0,
      missed_payments_30d: 0,
      on_time_rate_365d: null,
      max_days_past_due_365d: null,
      failed_payment_attempts_7d: 0,
    });
  });

  describe('windows (as of 2025-03-15T10:20:30Z)', () => {
    it('covers whole UTC days: day N-1 before the as-of date in, day N out, the rest of the as-of day in, tomorrow out', () => {
      const orders = [
        order('2025-02-14T00:00:00.000Z', 1), // 2025-03-15 - 29 days: first day of the 30d window
        order('2025-02-13T23:59:59.999Z', 2), // day 30 before: out of 30d, in 90d
        order('2025-03-15T23:59:59.999Z', 4), // later on the as-of day than the as-of instant: in
        order('2025-03-16T00:00:00.000Z', 8), // tomorrow: out of every window
        order('2024-12-16T00:00:00.000Z', 16), // first day of the 90d window
        order('2024-12-15T23:59:59.999Z', 32), // out of 90d
      ];
      const v = present(computeFeatureViewFromRows(view('customer_spending'), customer(), { orders }, AS_OF));
      expect(v['orders_30d']).toBe(2);
      expect(v['order_amount_sum_30d']).toEqual({ amountMinor: 1 + 4, currency: 'GBP' });
      // 90d: 1 + 2 + 4 + 16 over 4 orders = 5.75 -> 6
      expect(v['avg_order_amount_90d']).toEqual({ amountMinor: 6, currency: 'GBP' });
    });

    it('treats an as-of instant at midnight UTC as the start of its day', () => {
      const midnight = new Date('2025-03-15T00:00:00.000Z');
      const payments = [
        payment('2025-03-15T00:00:00.000Z', 'failed'), // the tie: same instant, as-of day: in
        payment('2025-03-15T18:00:00.000Z', 'failed'), // same day, after the instant: in
        payment('2025-03-09T00:00:00.000Z', 'failed'), // first day of the 7d window
        payment('2025-03-08T23:59:59.999Z', 'failed'), // out
        payment('2025-03-12T12:00:00.000Z', 'succeeded'), // not failed
      ];
      const v = present(computeFeatureViewFromRows(view('customer_repayment'), customer(), { payments }, midnight));
      expect(v['failed_payment_attempts_7d']).toBe(3);
      // One millisecond earlier the as-of date is 03-14: window 03-08 .. 03-14.
      const justBefore = new Date('2025-03-14T23:59:59.999Z');
      expect(present(computeFeatureViewFromRows(view('customer_repayment'), customer(), { payments }, justBefore))['failed_payment_attempts_7d']).toBe(2);
    });

    it('windows DATE columns by the date itself', () => {
      const installments = [
        installment('2025-03-15', 'overdue', 0), // due today: in
        installment('2025-03-16', 'overdue', 0), // due tomorrow: out
        installment('2025-02-14', 'written_off', 40), // first day of 30d
        installment('2025-02-13', 'overdue', 30), // out of 30d, in 90d and 365d
        installment('2024-03-16', 'paid', 0), // first day of 365d
        installment('2024-03-15', 'paid', 90), // out of 365d
        installment('2025-03-01', 'cancelled', 99), // cancelled: never owed
        installment('2025-03-02', 'paid', 3),
      ];
      const v = present(computeFeatureViewFromRows(view('customer_repayment'), customer(), { installments }, AS_OF));
      expect(v).toEqual({
        late_installments_90d: 3, // 40, 30, 3 (not the cancelled 99)
        missed_payments_30d: 2, // 03-15 overdue, 02-14 written off
        on_time_rate_365d: 1 / 5, // paid on time: 2024-03-16; came due: 03-15, 02-14, 02-13, 2024-03-16, 03-02
        max_days_past_due_365d: 40,
        failed_payment_attempts_7d: 0,
      });
    });
  });

  it('rounds MONEY averages half up, exactly', () => {
    const avg = (...amounts: number[]) =>
      present(computeFeatureViewFromRows(
        view('customer_spending'),
        customer(),
        { orders: amounts.map((a) => order('2025-03-01T12:00:00Z', a)) },
        AS_OF,
      ))['avg_order_amount_90d'];
    expect(avg(100, 101)).toEqual({ amountMinor: 101, currency: 'GBP' }); // 100.5 -> 101
    expect(avg(100, 100, 101)).toEqual({ amountMinor: 100, currency: 'GBP' }); // 100.33 -> 100
    expect(avg(100, 101, 101)).toEqual({ amountMinor: 101, currency: 'GBP' }); // 100.67 -> 101
    expect(avg(1, 2, 2, 2)).toEqual({ amountMinor: 2, currency: 'GBP' }); // 1.75 -> 2
    // 2n + d passes 2^53 here: still exact
    expect(avg(2 ** 51, 2 ** 51 + 1)).toEqual({ amountMinor: 2 ** 51 + 1, currency: 'GBP' });
  });

  it('excludes cancelled orders, ignores other entities\' rows and counts distinct merchants', () => {
    const orders = [
      order('2025-03-10T00:00:00Z', 100, { merchant_id: '1' }),
      order('2025-03-11T00:00:00Z', 100, { merchant_id: '1' }),
      order('2025-03-12T00:00:00Z', 100, { merchant_id: 2 }),
      order('2025-03-12T00:00:00Z', 100, { merchant_id: '3', status: 'cancelled' }),
      order('2025-03-12T00:00:00Z', 100, { merchant_id: '4', customer_id: '43' }),
    ];
    const v = present(computeFeatureViewFromRows(view('customer_spending'), customer(), { orders }, AS_OF));
    expect(v['orders_30d']).toBe(3);
    expect(v['distinct_merchants_30d']).toBe(2);
  });

  it('computes exposure from current state, whatever the due dates, and utilization as a double', () => {
    const installments = [
      installment('2025-04-15', 'scheduled', 0, 2500), // future: still owed
      installment('2025-03-01', 'overdue', 14, 2500),
      installment('2025-02-01', 'paid', 0, 2500),
      installment('2020-01-01', 'written_off', 500, 2500),
    ];
    const orders = [order('2023-01-01T00:00:00Z', 10000), order('2025-03-01T00:00:00Z', 5000, { status: 'completed' })];
    const v = present(computeFeatureViewFromRows(view('customer_exposure'), customer({ credit_limit_minor: 30000 }), { installments, orders }, AS_OF));
    expect(v).toEqual({
      active_plans_count: 1,
      outstanding_balance: { amountMinor: 5000, currency: 'GBP' },
      overdue_balance: { amountMinor: 2500, currency: 'GBP' },
      credit_limit: { amountMinor: 30000, currency: 'GBP' },
      utilization: 5000 / 30000,
    });
    const zeroLimit = present(computeFeatureViewFromRows(view('customer_exposure'), customer({ credit_limit_minor: 0 }), { installments }, AS_OF));
    expect(zeroLimit['utilization']).toBeNull();
  });

  it('counts age in UTC calendar days, null before creation', () => {
    const age = (createdAt: string) =>
      present(computeFeatureViewFromRows(view('customer_profile'), customer({ created_at: createdAt }), {}, AS_OF))['account_age_days'];
    expect(age('2025-03-15T23:00:00Z')).toBe(0);
    expect(age('2025-03-14T23:59:59.999Z')).toBe(1);
    expect(age('2024-03-15T00:00:00Z')).toBe(365);
    expect(age('2025-03-16T00:00:00Z')).toBeNull();
    expect(computeFeatureViewFromRows(view('customer_profile'), customer(), {}, AS_OF)).toEqual({
      account_age_days: 365,
      kyc_level: 2,
      country: 'GB',
      account_status: 'active',
    });
  });

  it('computes merchant rates over orders keyed by merchant', () => {
    const merchant = { id: '7', name: 'Shop', category: 'fashion', country: 'GB', created_at: '2020-01-01T00:00:00Z' };
    const orders = [
      order('2025-03-01T00:00:00Z', 1, { status: 'defaulted' }),
      order('2025-03-01T00:00:00Z', 1, { status: 'refunded', customer_id: '9' }),
      order('2025-03-01T00:00:00Z', 1, { status: 'completed' }),
      order('2025-03-01T00:00:00Z', 1, { status: 'cancelled' }),
      order('2025-03-01T00:00:00Z', 1, { merchant_id: '8', status: 'defaulted' }),
    ];
    expect(computeFeatureViewFromRows(view('merchant_risk'), merchant, { orders }, AS_OF)).toEqual({
      merchant_category: 'fashion',
      merchant_orders_90d: 3,
      merchant_default_rate_90d: 1 / 3,
      merchant_refund_rate_90d: 1 / 3,
    });
    expect(computeFeatureViewFromRows(view('merchant_risk'), merchant, {}, AS_OF)).toMatchObject({
      merchant_orders_90d: 0,
      merchant_default_rate_90d: null,
    });
  });

  it('rejects source values it cannot represent exactly, and invalid as-of instants', () => {
    const big = { orders: [order('2025-03-01T00:00:00Z', 1, { amount_minor: '9007199254740993' })] };
    expect(() => computeFeatureViewFromRows(view('customer_spending'), customer(), big, AS_OF)).toThrow(
      expect.objectContaining({ reason: 'VALUE_OUT_OF_RANGE' }),
    );
    const sumTooBig = { orders: [order('2025-03-01T00:00:00Z', 2 ** 52), order('2025-03-01T00:00:00Z', 2 ** 52)] };
    expect(() => computeFeatureViewFromRows(view('customer_spending'), customer(), sumTooBig, AS_OF)).toThrow(FeatureComputationError);
    const badDate = { orders: [order('yesterday', 1)] };
    expect(() => computeFeatureViewFromRows(view('customer_spending'), customer(), badDate, AS_OF)).toThrow(
      expect.objectContaining({ reason: 'INVALID_SOURCE_VALUE', message: expect.stringContaining('orders.created_at') }),
    );
    expect(() => computeFeatureViewFromRows(view('customer_spending'), customer(), {}, new Date('x'))).toThrow(InvalidAsOfError);
  });
});
