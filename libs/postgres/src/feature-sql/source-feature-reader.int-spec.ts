import {
  bnplCatalog,
  computeFeatureViewFromRows,
  evaluateViewTiles,
  formatDayNumber,
  utcDayNumber,
  type FeatureRow,
  type FeatureView,
  type SourceRow,
} from '@bnpl/feature-definitions';
import { createTestDatabase, type TestDatabase } from '@bnpl/service-launchers';
import { Client } from 'pg';
import { createDataSource } from '../lib/data-source.factory';
import { PostgresSourceFeatureReader, pgQuery } from './postgres-source-feature-reader';
import { PostgresSourceTilesReader } from './postgres-source-tiles-reader';

// Parity proof: for every view, every entity and several as-of instants, the SQL compiled from the
// catalog returns exactly what the JS reference evaluator computes from the same rows. The data is
// random (seeded, so a failure reproduces) and concentrated on window edges.

const DAY_MS = 86_400_000;
const AS_OF = new Date('2025-03-15T10:20:30.123Z');
const AS_OF_DAY = utcDayNumber(AS_OF);
/** Instants that move the as-of date, or sit exactly on a day boundary. */
const AS_OFS = [
  AS_OF,
  new Date('2025-03-15T00:00:00.000Z'),
  new Date('2025-03-15T23:59:59.999Z'),
  new Date('2025-03-16T00:00:00.000Z'),
  new Date('2024-12-31T12:00:00.000Z'),
];
const WINDOWS = [7, 30, 90, 365];
/** Day offsets from the as-of date on both sides of every window edge, today, tomorrow. */
const EDGE_OFFSETS = [0, -1, 1, 2, ...WINDOWS.flatMap((n) => [-n - 1, -n, -n + 1, -n + 2])];

/** mulberry32: small, seedable, good enough for test data. */
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

interface Data {
  customers: Array<Record<string, unknown> & { id: string }>;
  merchants: Array<Record<string, unknown> & { id: string }>;
  orders: Array<Record<string, unknown>>;
  installments: Array<Record<string, unknown>>;
  payments: Array<Record<string, unknown>>;
}

function generate(seed: number): Data {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const weighted = <T>(pairs: ReadonlyArray<readonly [T, number]>): T => {
    let r = rnd() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const dayOffset = () => (rnd() < 0.6 ? pick(EDGE_OFFSETS) : int(-420, 60));
  const asOfTimeOfDay = AS_OF.getTime() - AS_OF_DAY * DAY_MS;
  const instant = (offset = dayOffset()) => {
    const timeOfDay = pick([0, 1, DAY_MS - 1, asOfTimeOfDay, asOfTimeOfDay - 1, asOfTimeOfDay + 1, int(0, DAY_MS - 1), int(0, DAY_MS - 1)]);
    return new Date((AS_OF_DAY + offset) * DAY_MS + timeOfDay).toISOString();
  };
  const amount = () => (rnd() < 0.03 ? int(1_000_000_000, 100_000_000_000) : int(100, 200_000));

  const data: Data = { customers: [], merchants: [], orders: [], installments: [], payments: [] };
  for (let m = 1; m <= 30; m++) {
    data.merchants.push({ id: String(m), name: `Merchant ${m}`, category: pick(['fashion', 'electronics', 'travel', 'home']), country: pick(['GB', 'DE', 'SE']), created_at: instant(int(-2000, 0)) });
  }
  let orderId = 1;
  let installmentId = 1;
  let paymentId = 1;
  for (let i = 0; i < 400; i++) {
    // Gaps between ids, so that id ranges and unknown ids fall between real customers.
    const id = String(1000 + 3 * i + int(0, 2));
    const currency = pick(['EUR', 'GBP', 'SEK', 'USD']);
    data.customers.push({
      id,
      email: `c${id}@example.test`,
      full_name: `Customer ${id}`,
      country: pick(['GB', 'DE', 'FR', 'SE', 'US', 'IE']),
      currency,
      kyc_level: int(0, 3),
      credit_limit_minor: rnd() < 0.1 ? 0 : rnd() < 0.05 ? int(1_000_000_000, 2_000_000_000_000) : int(1_000, 2_000_000),
      status: weighted([['active', 8], ['suspended', 1], ['closed', 1]] as const),
      // Some accounts are created after some as-of instants (age: no value).
      created_at: rnd() < 0.1 ? instant(pick([0, 1, 2, -1])) : instant(int(-1500, 0)),
      updated_at: instant(0),
    });
    if (rnd() < 0.15) continue; // no history at all
    for (let o = int(0, 10); o > 0; o--) {
      const order = {
        id: String(orderId++),
        customer_id: id,
        merchant_id: String(int(1, 28)), // merchants 29 and 30 never sell
        amount_minor: amount(),
        currency,
        installment_count: int(1, 6),
        status: weighted([['active', 35], ['completed', 30], ['defaulted', 10], ['refunded', 10], ['cancelled', 15]] as const),
        created_at: instant(),
        updated_at: instant(0),
      };
      data.orders.push(order);
      for (let seq = 1; seq <= order.installment_count; seq++) {
        const status = weighted([['scheduled', 30], ['paid', 40], ['overdue', 15], ['written_off', 5], ['cancelled', 10]] as const);
        const inst = {
          id: String(installmentId++),
          order_id: order.id,
          customer_id: id,
          seq,
          amount_minor: amount(),
          currency,
          due_date: formatDayNumber(AS_OF_DAY + dayOffset()),
          status,
          paid_at: status === 'paid' ? instant() : null,
          days_past_due: rnd() < 0.5 ? 0 : int(1, 200),
          updated_at: instant(0),
        };
        data.installments.push(inst);
        for (let p = int(0, 3); p > 0; p--) {
          const failed = rnd() < 0.4;
          data.payments.push({
            id: String(paymentId++),
            installment_id: inst.id,
            customer_id: id,
            amount_minor: int(1, 100_000),
            currency,
            status: failed ? 'failed' : 'succeeded',
            failure_reason: failed && rnd() < 0.7 ? pick(['insufficient_funds', 'card_expired']) : null,
            attempted_at: instant(),
          });
        }
      }
    }
  }
  return data;
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

async function insert(client: Client, table: string, rows: ReadonlyArray<Record<string, unknown>>, columns: Record<string, string>): Promise<void> {
  const names = Object.keys(columns);
  const params = names.map((n) => rows.map((r) => r[n]));
  const unnest = names.map((n, i) => `$${i + 1}::${columns[n]}[]`).join(', ');
  await client.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${unnest})`, params);
}

/** Rows grouped by entity, so the evaluator gets each entity's rows (it would also filter a whole table). */
function groupBy(rows: ReadonlyArray<Record<string, unknown>>, key: string): Map<string, SourceRow[]> {
  const out = new Map<string, SourceRow[]>();
  for (const r of rows) {
    const k = String(r[key]);
    const list = out.get(k) ?? [];
    list.push(r);
    out.set(k, list);
  }
  return out;
}

describe('PostgresSourceFeatureReader parity with the reference evaluator (real PostgreSQL)', () => {
  const data = generate(20250315);
  let pg: TestDatabase;
  let client: Client;
  let reader: PostgresSourceFeatureReader;

  const byCustomer = {
    orders: groupBy(data.orders, 'customer_id'),
    installments: groupBy(data.installments, 'customer_id'),
    payments: groupBy(data.payments, 'customer_id'),
  };
  const ordersByMerchant = groupBy(data.orders, 'merchant_id');
  const customersById = new Map(data.customers.map((c) => [c.id, c]));
  const merchantsById = new Map(data.merchants.map((m) => [m.id, m]));

  /** The oracle: the JS reference evaluator on the generated rows. */
  function expected(view: FeatureView, id: string, asOf: Date): FeatureRow | null {
    if (view.entity.name === 'merchant') {
      return computeFeatureViewFromRows(view, merchantsById.get(id) ?? null, { orders: ordersByMerchant.get(id) }, asOf);
    }
    return computeFeatureViewFromRows(
      view,
      customersById.get(id) ?? null,
      { orders: byCustomer.orders.get(id), installments: byCustomer.installments.get(id), payments: byCustomer.payments.get(id) },
      asOf,
    );
  }
  const idsOf = (view: FeatureView) => (view.entity.name === 'merchant' ? data.merchants : data.customers).map((e) => e.id);

  /** Lists differences (at most 5) in a readable form before the strict comparison. */
  function diffs(ids: readonly string[], got: ReadonlyArray<FeatureRow | null>, want: ReadonlyArray<FeatureRow | null>) {
    const out: unknown[] = [];
    ids.forEach((id, i) => {
      if (out.length < 5 && JSON.stringify(got[i]) !== JSON.stringify(want[i])) out.push({ id, got: got[i], want: want[i] });
    });
    return out;
  }

  beforeAll(async () => {
    pg = await createTestDatabase();
    client = new Client({ connectionString: pg.url });
    await client.connect();
    // A non-UTC session time zone must not change any result.
    await client.query(`SET TIME ZONE 'America/St_Johns'`);
    await insert(client, 'customers', data.customers, {
      id: 'bigint', email: 'text', full_name: 'text', country: 'text', currency: 'text', kyc_level: 'smallint',
      credit_limit_minor: 'bigint', status: 'text', created_at: 'timestamptz', updated_at: 'timestamptz',
    });
    await insert(client, 'merchants', data.merchants, { id: 'bigint', name: 'text', category: 'text', country: 'text', created_at: 'timestamptz' });
    await insert(client, 'orders', data.orders, {
      id: 'bigint', customer_id: 'bigint', merchant_id: 'bigint', amount_minor: 'bigint', currency: 'text',
      installment_count: 'smallint', status: 'text', created_at: 'timestamptz', updated_at: 'timestamptz',
    });
    await insert(client, 'installments', data.installments, {
      id: 'bigint', order_id: 'bigint', customer_id: 'bigint', seq: 'smallint', amount_minor: 'bigint', currency: 'text',
      due_date: 'date', status: 'text', paid_at: 'timestamptz', days_past_due: 'integer', updated_at: 'timestamptz',
    });
    await insert(client, 'payments', data.payments, {
      id: 'bigint', installment_id: 'bigint', customer_id: 'bigint', amount_minor: 'bigint', currency: 'text',
      status: 'text', failure_reason: 'text', attempted_at: 'timestamptz',
    });
    await client.query('ANALYZE');
    reader = new PostgresSourceFeatureReader(bnplCatalog, pgQuery(client));
  });

  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  it('has data on both sides of every window edge (so the parity below is not vacuous)', () => {
    for (const n of WINDOWS) {
      const dueOn = (offset: number) => data.installments.filter((r) => r['due_date'] === formatDayNumber(AS_OF_DAY + offset)).length;
      const createdOn = (offset: number) => data.orders.filter((r) => utcDayNumber(new Date(r['created_at'] as string)) === AS_OF_DAY + offset).length;
      expect([dueOn(-n), dueOn(-n + 1), createdOn(-n), createdOn(-n + 1)].every((c) => c > 0)).toBe(true);
    }
    expect(data.customers.length).toBeGreaterThanOrEqual(400);
    expect(data.installments.length).toBeGreaterThan(2000);
  });

  describe.each(AS_OFS.map((d) => [d.toISOString(), d] as const))('as of %s', (_label, asOf) => {
    it.each(bnplCatalog.views.map((v) => [v.name, v] as const))('%s: SQL equals the evaluator for every entity and unknown ids', async (_name, view) => {
      const known = idsOf(view);
      // Unknown ids between, before and after the real ones, the largest bigint, and a repeated id.
      const ids = shuffle([...known, '1', '1001', '999999', '9223372036854775807', known[3]], prng(known.length));
      const got = await reader.readView(view.name, ids, asOf);
      const want = ids.map((id) => expected(view, id, asOf));
      expect(got).toHaveLength(ids.length);
      expect(diffs(ids, got, want)).toEqual([]);
      expect(got).toEqual(want);
      expect(got.filter((r) => r === null).length).toBeGreaterThanOrEqual(3);
    });
  });

  it('reads id ranges in id order, equal to the evaluator', async () => {
    for (const view of bnplCatalog.views) {
      const known = idsOf(view);
      const from = known[Math.floor(known.length / 4)];
      const to = String(BigInt(known[Math.floor((3 * known.length) / 4)]) + 1n); // may not exist
      const got = await reader.readViewRange(view.name, from, to, AS_OF);
      const inRange = known.filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) <= BigInt(to)).sort((a, b) => Number(BigInt(a) - BigInt(b)));
      expect(got.map((r) => r.entityId)).toEqual(inRange);
      expect(got.map((r) => r.features)).toEqual(inRange.map((id) => expected(view, id, AS_OF)));
      const all = await reader.readViewRange(view.name, '1', '9223372036854775807', AS_OF);
      expect(all).toHaveLength(known.length);
    }
  });

  it('reads several views of one entity in one query, each equal to the evaluator, in the order asked', async () => {
    const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer');
    const merchantViews = bnplCatalog.views.filter((v) => v.entity.name === 'merchant');
    // Every customer view (two of them read the same instalments), two in reverse catalog order, and one alone.
    const sets = [customerViews, [customerViews[2], customerViews[1]], merchantViews];
    for (const asOf of AS_OFS) {
      for (const views of sets) {
        const known = idsOf(views[0]);
        const from = known[Math.floor(known.length / 5)];
        const to = String(BigInt(known[Math.floor((4 * known.length) / 5)]) + 1n);
        const inRange = known.filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) <= BigInt(to)).sort((a, b) => Number(BigInt(a) - BigInt(b)));
        const got = await reader.readViewsRange(views.map((v) => v.name), from, to, asOf);
        expect(got).toHaveLength(views.length);
        views.forEach((view, v) => {
          expect(got[v].map((r) => r.entityId)).toEqual(inRange);
          const want = inRange.map((id) => expected(view, id, asOf));
          expect(diffs(inRange, got[v].map((r) => r.features), want)).toEqual([]);
          expect(got[v].map((r) => r.features)).toEqual(want);
        });
      }
    }
    expect(await reader.readViewsRange(customerViews.map((v) => v.name), '9', '1', AS_OF)).toEqual(customerViews.map(() => []));
    await expect(reader.readViewsRange([customerViews[0].name, merchantViews[0].name], '1', '9', AS_OF)).rejects.toThrow(/one entity/);
  });

  it('is sensitive: every feature varies, no-value cases occur, and a one-day shift of the as-of date is detected', async () => {
    const noValueExpected = new Set([
      'customer_profile:account_age_days',
      'customer_exposure:utilization',
      'customer_repayment:on_time_rate_365d',
      'customer_repayment:max_days_past_due_365d',
      'customer_spending:avg_order_amount_90d',
      'merchant_risk:merchant_default_rate_90d',
      'merchant_risk:merchant_refund_rate_90d',
    ]);
    for (const view of bnplCatalog.views) {
      const ids = idsOf(view);
      const got = (await reader.readView(view.name, ids, AS_OF)) as FeatureRow[];
      for (const f of view.features) {
        const values = got.map((r) => r[f.name]);
        expect({ feature: `${view.name}:${f.name}`, distinct: new Set(values.map((v) => JSON.stringify(v))).size > 2 }).toEqual({
          feature: `${view.name}:${f.name}`,
          distinct: true,
        });
        if (noValueExpected.has(`${view.name}:${f.name}`)) expect(values).toContain(null);
      }
      // The comparison can fail: the evaluator a day later disagrees with SQL for windowed views.
      if (view.plan.sources.some((s) => s.aggregates.some((a) => a.window))) {
        const nextDay = new Date(AS_OF.getTime() + DAY_MS);
        const shifted = ids.map((id) => expected(view, id, nextDay));
        expect(diffs(ids, got, shifted).length).toBeGreaterThan(0);
      }
    }
  });

  describe('PostgresSourceTilesReader', () => {
    /** The as-of day, both sides of every window edge a day later than now, and far ahead. */
    const LATER_DAYS = [0, 1, 2, 6, 7, 8, 29, 30, 31, 60, 89, 90, 91, 364, 365, 366, 400];

    it.each(bnplCatalog.views.map((v) => [v.name, v] as const))(
      '%s: tiles read as of one day give the evaluator\'s values on that day and every later one',
      async (_name, view) => {
        const tilesReader = new PostgresSourceTilesReader(bnplCatalog, pgQuery(client));
        const known = idsOf(view);
        const ids = [...known, '999999', '9223372036854775807', known[0]];
        const tiles = await tilesReader.readViewTiles(view.name, ids, AS_OF);
        expect(tiles).toHaveLength(ids.length);
        expect(tiles.slice(known.length, known.length + 2)).toEqual([null, null]);
        for (const offset of LATER_DAYS) {
          const later = new Date(AS_OF.getTime() + offset * DAY_MS);
          const got = ids.map((id, i) => (tiles[i] === null ? null : evaluateViewTiles(view, tiles[i] as NonNullable<(typeof tiles)[number]>, AS_OF_DAY + offset)));
          const want = ids.map((id) => expected(view, id, later));
          expect({ offset, diffs: diffs(ids, got, want) }).toEqual({ offset, diffs: [] });
        }
        // And the batch SQL agrees as of a later day too: the streaming and batch paths meet.
        const later = new Date(AS_OF.getTime() + 31 * DAY_MS);
        const sql = await reader.readView(view.name, known, later);
        expect(diffs(known, known.map((id, i) => evaluateViewTiles(view, tiles[i] as NonNullable<(typeof tiles)[number]>, AS_OF_DAY + 31)), sql)).toEqual([]);
      },
    );

    it('rejects what SourceFeatureReader rejects, before any I/O', async () => {
      let queries = 0;
      const tilesReader = new PostgresSourceTilesReader(bnplCatalog, async () => {
        queries++;
        return [];
      });
      await expect(tilesReader.readViewTiles('nope', ['1'], AS_OF)).rejects.toThrow(/nope/);
      await expect(tilesReader.readViewTiles('customer_spending', ['01'], AS_OF)).rejects.toThrow(/01/);
      await expect(tilesReader.readViewTiles('customer_spending', ['1'], new Date(Number.NaN))).rejects.toThrow();
      expect(await tilesReader.readViewTiles('customer_spending', [], AS_OF)).toEqual([]);
      expect(queries).toBe(0);
    });
  });

  it('works over a TypeORM DataSource query function too', async () => {
    const ds = createDataSource({ type: 'postgres', url: pg.url, poolSize: 1 });
    await ds.initialize();
    try {
      const typeormReader = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => ds.query(sql, params));
      for (const view of bnplCatalog.views) {
        const ids = idsOf(view);
        expect(await typeormReader.readView(view.name, ids, AS_OF)).toEqual(ids.map((id) => expected(view, id, AS_OF)));
      }
    } finally {
      await ds.destroy();
    }
  });
});
