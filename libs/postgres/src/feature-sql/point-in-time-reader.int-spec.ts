import { bnplCatalog, computeViewAtFromRows, formatDayNumber, utcDayNumber, type FeatureRow, type FeatureView, type SourceRow } from '@bnpl/feature-definitions';
import { createTestDatabase, type TestDatabase } from '@bnpl/service-launchers';
import { Client } from 'pg';
import { PostgresSourceFeatureReader, pgQuery } from './postgres-source-feature-reader';

// Backfills: the point-in-time SQL returns, for instants in the past of the data, exactly what the
// reference (`computeViewAtFromRows`) computes from the same rows: no entity before its creation, no row
// created after the instant, instalments' repayment state rebuilt from paid_at and due_date, and null for
// every feature the sources keep no history of. Random data (seeded) around the instants.

const DAY_MS = 86_400_000;
const BASE = Date.parse('2025-03-15T12:00:00.000Z');
const INSTANTS = [new Date(BASE), new Date(BASE - 3 * DAY_MS + 1), new Date(BASE - 40 * DAY_MS), new Date(Date.parse('2025-03-15T23:59:59.999Z'))];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, unknown>;

function generate(seed: number) {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  // Times cluster around the instants (either side, to the millisecond) and spread over a year.
  const time = () => {
    if (rnd() < 0.4) return new Date(pick(INSTANTS).getTime() + pick([-1, 0, 1, -DAY_MS, DAY_MS, -3_600_000, 3_600_000])).toISOString();
    return new Date(BASE + int(-400, 20) * DAY_MS + int(0, DAY_MS - 1)).toISOString();
  };
  const data = { customers: [] as Row[], merchants: [] as Row[], orders: [] as Row[], installments: [] as Row[], payments: [] as Row[] };
  for (let m = 1; m <= 10; m++) data.merchants.push({ id: String(m), name: `M${m}`, category: pick(['fashion', 'travel']), country: 'DE', created_at: time() });
  let orderId = 1;
  let instalmentId = 1;
  let paymentId = 1;
  for (let c = 1; c <= 250; c++) {
    const id = String(c * 2);
    data.customers.push({
      id, email: `c${id}@x.test`, full_name: `C${id}`, country: 'DE', currency: pick(['EUR', 'SEK']), kyc_level: int(0, 3),
      credit_limit_minor: int(0, 500_000), status: pick(['active', 'suspended']), created_at: time(), updated_at: time(),
    });
    for (let o = int(0, 5); o > 0; o--) {
      const created = time();
      const order = { id: String(orderId++), customer_id: id, merchant_id: String(int(1, 10)), amount_minor: int(100, 90_000), currency: 'EUR', installment_count: 3, status: pick(['active', 'completed', 'cancelled']), created_at: created, updated_at: time() };
      data.orders.push(order);
      for (let seq = 1; seq <= 3; seq++) {
        const due = utcDayNumber(Date.parse(created)) + seq * 30 + int(-45, 5);
        const paidAt = rnd() < 0.5 ? new Date(due * DAY_MS + int(-5, 20) * DAY_MS + int(0, DAY_MS - 1)).toISOString() : rnd() < 0.2 ? pick(INSTANTS).toISOString() : null;
        const status = paidAt ? 'paid' : pick(['scheduled', 'overdue', 'written_off', 'cancelled']);
        const instalment = {
          id: String(instalmentId++), order_id: order.id, customer_id: id, seq, amount_minor: int(100, 30_000), currency: 'EUR',
          due_date: formatDayNumber(due), status, paid_at: paidAt, days_past_due: int(0, 40), updated_at: time(),
        };
        data.installments.push(instalment);
        for (let p = int(0, 2); p > 0; p--) {
          const failed = rnd() < 0.5;
          data.payments.push({ id: String(paymentId++), installment_id: instalment.id, customer_id: id, amount_minor: 100, currency: 'EUR', status: failed ? 'failed' : 'succeeded', failure_reason: failed ? 'card_expired' : null, attempted_at: time() });
        }
      }
    }
  }
  return data;
}

async function insert(client: Client, table: string, rows: readonly Row[], columns: Record<string, string>): Promise<void> {
  const names = Object.keys(columns);
  await client.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${names.map((n, i) => `$${i + 1}::${columns[n]}[]`).join(', ')})`, names.map((n) => rows.map((r) => r[n])));
}

describe('PostgresSourceFeatureReader point in time (real PostgreSQL)', () => {
  const data = generate(20251201);
  let pg: TestDatabase;
  let client: Client;
  let reader: PostgresSourceFeatureReader;
  const of = (rows: readonly Row[], key: string, id: string) => rows.filter((r) => r[key] === id) as SourceRow[];

  const expected = (view: FeatureView, id: string, instant: Date): FeatureRow | null =>
    view.entity.name === 'merchant'
      ? computeViewAtFromRows(view, (data.merchants.find((m) => m.id === id) as SourceRow) ?? null, { orders: of(data.orders, 'merchant_id', id) }, instant)
      : computeViewAtFromRows(
          view,
          (data.customers.find((c) => c.id === id) as SourceRow) ?? null,
          { orders: of(data.orders, 'customer_id', id), installments: of(data.installments, 'customer_id', id), payments: of(data.payments, 'customer_id', id) },
          instant,
        );
  const idsOf = (view: FeatureView) => (view.entity.name === 'merchant' ? data.merchants : data.customers).map((e) => e.id as string);

  beforeAll(async () => {
    pg = await createTestDatabase();
    client = new Client({ connectionString: pg.url });
    await client.connect();
    await client.query(`SET TIME ZONE 'Asia/Kolkata'`);
    await insert(client, 'customers', data.customers, { id: 'bigint', email: 'text', full_name: 'text', country: 'text', currency: 'text', kyc_level: 'smallint', credit_limit_minor: 'bigint', status: 'text', created_at: 'timestamptz', updated_at: 'timestamptz' });
    await insert(client, 'merchants', data.merchants, { id: 'bigint', name: 'text', category: 'text', country: 'text', created_at: 'timestamptz' });
    await insert(client, 'orders', data.orders, { id: 'bigint', customer_id: 'bigint', merchant_id: 'bigint', amount_minor: 'bigint', currency: 'text', installment_count: 'smallint', status: 'text', created_at: 'timestamptz', updated_at: 'timestamptz' });
    await insert(client, 'installments', data.installments, { id: 'bigint', order_id: 'bigint', customer_id: 'bigint', seq: 'smallint', amount_minor: 'bigint', currency: 'text', due_date: 'date', status: 'text', paid_at: 'timestamptz', days_past_due: 'integer', updated_at: 'timestamptz' });
    await insert(client, 'payments', data.payments, { id: 'bigint', installment_id: 'bigint', customer_id: 'bigint', amount_minor: 'bigint', currency: 'text', status: 'text', failure_reason: 'text', attempted_at: 'timestamptz' });
    reader = new PostgresSourceFeatureReader(bnplCatalog, pgQuery(client));
  });

  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  describe.each(INSTANTS.map((d) => [d.toISOString(), d] as const))('as of %s', (_label, instant) => {
    it.each(bnplCatalog.views.map((v) => [v.name, v] as const))('%s: SQL equals the reference, by ids and by range', async (_name, view) => {
      const ids = [...idsOf(view), '999999'];
      const want = ids.map((id) => expected(view, id, instant));
      expect(await reader.readViewAt(view.name, ids, instant)).toEqual(want);
      const range = await reader.readViewRangeAt(view.name, '1', '9223372036854775807', instant);
      const existing = ids.filter((_, i) => want[i] !== null);
      expect(range.map((r) => r.entityId)).toEqual(existing.sort((a, b) => Number(a) - Number(b)));
      expect(range.map((r) => r.features)).toEqual(range.map((r) => expected(view, r.entityId, instant)));
    });
  });

  it('reads several views of one entity in one query, each equal to the reference', async () => {
    const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer');
    for (const instant of INSTANTS) {
      const got = await reader.readViewsRangeAt(customerViews.map((v) => v.name), '1', '9223372036854775807', instant);
      for (const [v, view] of customerViews.entries()) {
        const alone = await reader.readViewRangeAt(view.name, '1', '9223372036854775807', instant);
        expect(got[v].map((r) => r.entityId)).toEqual(alone.map((r) => r.entityId));
        expect(got[v].map((r) => r.features)).toEqual(got[v].map((r) => expected(view, r.entityId, instant)));
      }
    }
  });

  it('has no entity before its creation, no value of a feature without history, and sees the instant move', async () => {
    const instant = INSTANTS[0];
    const view = bnplCatalog.getView('customer_repayment');
    const ids = idsOf(view);
    const rows = await reader.readViewAt(view.name, ids, instant);
    const createdLater = data.customers.filter((c) => Date.parse(c.created_at as string) > instant.getTime()).map((c) => c.id);
    expect(createdLater.length).toBeGreaterThan(5);
    ids.forEach((id, i) => expect({ id, existed: rows[i] !== null }).toEqual({ id, existed: !createdLater.includes(id) }));
    const profile = await reader.readViewAt('customer_profile', ids, instant);
    expect(profile.filter((r) => r !== null).every((r) => r?.kyc_level === null && r?.country === null && typeof r?.account_age_days === 'number')).toBe(true);
    const features = ['late_installments_90d', 'missed_payments_30d', 'failed_payment_attempts_7d', 'on_time_rate_365d'];
    for (const f of features) expect({ f, varies: new Set(rows.map((r) => JSON.stringify(r?.[f]))).size > 2 }).toEqual({ f, varies: true });
    // One millisecond later the payments and creations exactly at the instant's neighbours differ somewhere.
    const later = await reader.readViewAt(view.name, ids, new Date(instant.getTime() + DAY_MS));
    expect(later).not.toEqual(rows);
  });
});
