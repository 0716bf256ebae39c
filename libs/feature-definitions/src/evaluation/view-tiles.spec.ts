import { bnplCatalog } from '../catalog/bnpl-catalog';
import { FeatureComputationError } from '../errors/feature-computation.error';
import { computeFeatureViewFromRows } from './compute-feature-view';
import { evaluateViewTiles, summariseViewTiles, viewTilesFingerprint, type ViewTiles } from './view-tiles';
import { dayNumberOfDate, formatDayNumber } from './window';

const DAY_MS = 86_400_000;
const view = (name: string) => bnplCatalog.getView(name);
const day = (date: string) => dayNumberOfDate(date) as number;
const at = (d: number, hour = 10) => new Date(d * DAY_MS + hour * 3_600_000);

const customer = { id: '42', country: 'GB', currency: 'GBP', kyc_level: 2, credit_limit_minor: 100_000, status: 'active', created_at: new Date('2024-03-15T08:00:00Z'), updated_at: new Date('2025-01-01T00:00:00Z') };
const merchant = { id: '7', name: 'Shop', category: 'fashion', country: 'GB', created_at: '2020-01-01T00:00:00Z' };

/** A deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random rows of customer 42 (and some of customer 43, which must be ignored) over ~2 years around `today`. */
function randomRows(seed: number, today: number) {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const someDay = () => today - 500 + Math.floor(r() * 560);
  const owner = () => (r() < 0.9 ? '42' : '43');
  const orders = Array.from({ length: 40 }, (_, i) => {
    const created = at(someDay(), Math.floor(r() * 24));
    return {
      id: String(i + 1), customer_id: owner(), merchant_id: String(1 + Math.floor(r() * 6)), amount_minor: Math.floor(r() * 50_000), currency: 'GBP',
      installment_count: 4, status: pick(['active', 'completed', 'defaulted', 'refunded', 'cancelled']), created_at: created, updated_at: created,
    };
  });
  const installments = Array.from({ length: 120 }, (_, i) => ({
    id: String(i + 1), order_id: '1', customer_id: owner(), seq: 1, amount_minor: Math.floor(r() * 20_000), currency: 'GBP',
    due_date: formatDayNumber(someDay()), status: pick(['scheduled', 'paid', 'overdue', 'written_off', 'cancelled']), paid_at: null,
    days_past_due: r() < 0.6 ? 0 : Math.floor(r() * 90), updated_at: '2025-01-01T00:00:00Z',
  }));
  const payments = Array.from({ length: 60 }, (_, i) => ({
    id: String(i + 1), installment_id: '1', customer_id: owner(), amount_minor: 2500, currency: 'GBP',
    status: pick(['succeeded', 'failed']), failure_reason: null, attempted_at: at(someDay(), Math.floor(r() * 24)),
  }));
  return { orders, installments, payments };
}

describe('per-day tiles', () => {
  const TODAY = day('2025-03-15');

  it('give, on every later day, exactly what the rows give as of that day (every stored view, random rows)', () => {
    for (const seed of [1, 2, 3]) {
      const rows = randomRows(seed, TODAY);
      for (const name of ['customer_profile', 'customer_exposure', 'customer_repayment', 'customer_spending', 'merchant_risk']) {
        const v = view(name);
        const entityRow = v.entity.name === 'merchant' ? { ...merchant, id: '3' } : customer;
        const tiles = summariseViewTiles(v, entityRow, rows, at(TODAY)) as ViewTiles;
        // Survives storage as plain data.
        const stored = JSON.parse(JSON.stringify(tiles)) as ViewTiles;
        for (let d = TODAY; d <= TODAY + 400; d += 1 + (d % 11)) {
          expect({ seed, name, day: formatDayNumber(d), values: evaluateViewTiles(v, stored, d) }).toEqual({
            seed, name, day: formatDayNumber(d), values: computeFeatureViewFromRows(v, entityRow, rows, at(d, 23)),
          });
        }
      }
    }
  });

  it('move a window with the clock: orders leave orders_30d on their 31st day and future instalments enter', () => {
    const orders = [
      { id: '1', customer_id: '42', merchant_id: '1', amount_minor: 1000, currency: 'GBP', installment_count: 4, status: 'active', created_at: at(TODAY - 29), updated_at: at(TODAY) },
      { id: '2', customer_id: '42', merchant_id: '2', amount_minor: 3000, currency: 'GBP', installment_count: 4, status: 'active', created_at: at(TODAY), updated_at: at(TODAY) },
    ];
    const tiles = summariseViewTiles(view('customer_spending'), customer, { orders }, at(TODAY)) as ViewTiles;
    expect(tiles.tiles).toMatchObject({ a0: [[TODAY - 29, 1], [TODAY, 1]] });
    const spending = (d: number) => evaluateViewTiles(view('customer_spending'), tiles, d);
    expect(spending(TODAY)).toMatchObject({ orders_30d: 2, order_amount_sum_30d: { amountMinor: 4000, currency: 'GBP' }, distinct_merchants_30d: 2 });
    expect(spending(TODAY + 1)).toMatchObject({ orders_30d: 1, order_amount_sum_30d: { amountMinor: 3000, currency: 'GBP' }, distinct_merchants_30d: 1 });
    expect(spending(TODAY + 30)).toMatchObject({ orders_30d: 0, order_amount_sum_30d: { amountMinor: 0, currency: 'GBP' }, distinct_merchants_30d: 0, avg_order_amount_90d: { amountMinor: 2000, currency: 'GBP' } });
    expect(spending(TODAY + 61)).toMatchObject({ avg_order_amount_90d: { amountMinor: 3000, currency: 'GBP' } });
    expect(spending(TODAY + 90)).toMatchObject({ avg_order_amount_90d: null });

    const due = { id: '1', order_id: '1', customer_id: '42', seq: 1, amount_minor: 2500, currency: 'GBP', due_date: formatDayNumber(TODAY + 3), status: 'overdue', paid_at: null, days_past_due: 2, updated_at: '2025-01-01T00:00:00Z' };
    const repayment = summariseViewTiles(view('customer_repayment'), customer, { installments: [due] }, at(TODAY)) as ViewTiles;
    expect(evaluateViewTiles(view('customer_repayment'), repayment, TODAY + 2)).toMatchObject({ missed_payments_30d: 0 });
    expect(evaluateViewTiles(view('customer_repayment'), repayment, TODAY + 3)).toMatchObject({ missed_payments_30d: 1, late_installments_90d: 1 });
  });

  it('keep only the days a window can still reach, and move ages daily', () => {
    const old = { id: '1', customer_id: '42', merchant_id: '1', amount_minor: 1000, currency: 'GBP', installment_count: 4, status: 'active', created_at: at(TODAY - 95), updated_at: at(TODAY) };
    const tiles = summariseViewTiles(view('customer_spending'), customer, { orders: [old] }, at(TODAY)) as ViewTiles;
    expect(Object.values(tiles.tiles).every((t) => t.length === 0)).toBe(true);
    const profile = summariseViewTiles(view('customer_profile'), customer, {}, at(TODAY)) as ViewTiles;
    expect(evaluateViewTiles(view('customer_profile'), profile, TODAY)).toMatchObject({ account_age_days: 365 });
    expect(evaluateViewTiles(view('customer_profile'), profile, TODAY + 10)).toMatchObject({ account_age_days: 375 });
  });

  it('cannot answer for a day before their own, and reject a windowed sum beyond 2^53', () => {
    const tiles = summariseViewTiles(view('customer_spending'), customer, {}, at(TODAY)) as ViewTiles;
    expect(() => evaluateViewTiles(view('customer_spending'), tiles, TODAY - 1)).toThrow(RangeError);
    const big = (id: string, d: number) => ({ id, customer_id: '42', merchant_id: '1', amount_minor: 2 ** 52, currency: 'GBP', installment_count: 4, status: 'active', created_at: at(d), updated_at: at(d) });
    const split = summariseViewTiles(view('customer_spending'), customer, { orders: [big('1', TODAY - 1), big('2', TODAY)] }, at(TODAY)) as ViewTiles;
    expect(() => evaluateViewTiles(view('customer_spending'), split, TODAY)).toThrow(FeatureComputationError);
    expect(summariseViewTiles(view('customer_spending'), null, {}, at(TODAY))).toBeNull();
  });

  it('fingerprint a view definition, so tiles written under another one are recognised', () => {
    expect(viewTilesFingerprint(view('customer_spending'))).toMatch(/^[0-9a-f]{8}$/);
    expect(viewTilesFingerprint(view('customer_spending'))).toBe(viewTilesFingerprint(view('customer_spending')));
    expect(viewTilesFingerprint(view('customer_spending'))).not.toBe(viewTilesFingerprint(view('customer_repayment')));
  });
});
