import { InvalidEntityIdError, UnknownFeatureViewError, evaluateViewTiles, summariseViewTiles, type FeatureRow, type ViewTiles } from '@bnpl/feature-definitions';
import { InvalidOnlineRowError } from './errors/invalid-online-row.error';
import { OnlineStoreUnavailableError } from './errors/online-store-unavailable.error';
import type { EntityKey, OnlineRow, OnlineStore } from './online-store.port';
import { testCatalog } from './online-store.test-catalog';

/** What a contract run needs from an adapter's int-spec. Stores must be built over `testCatalog`. */
export interface OnlineStoreContractSubject {
  readonly store: OnlineStore;
  /** Another client of the same data (as another process would be), for concurrent writers. */
  openAnother(): OnlineStore;
  /** For backends that can be killed: the failure and recovery tests run only when given. */
  readonly outage?: {
    kill(): Promise<void>;
    restart(): Promise<void>;
  };
  /** Stops whatever the subject started. */
  dispose(): Promise<void>;
}

export { testCatalog as contractCatalog };

/**
 * The OnlineStore contract (see the TSDoc of OnlineStore), run against every adapter by its int-spec:
 * `describeOnlineStoreContract('redis', async () => ({ store, openAnother, dispose }))`.
 */
export function describeOnlineStoreContract(name: string, setup: () => Promise<OnlineStoreContractSubject>): void {
  describe(`OnlineStore contract: ${name}`, () => {
    let subject: OnlineStoreContractSubject;
    let store: OnlineStore;
    // Fresh ids for every test: the data of one store is shared by all tests of a run.
    let nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000;
    const newCustomer = (): EntityKey => ({ entity: 'customer', id: String(nextId++) });
    const newMerchant = (): EntityKey => ({ entity: 'merchant', id: String(nextId++) });

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
      // A real backend may still be connecting.
      const deadline = Date.now() + 10_000;
      while (!(await store.ping().then(() => true, () => false))) {
        if (Date.now() > deadline) throw new Error(`${name} did not answer ping within 10 s`);
        await sleep(50);
      }
    });

    afterAll(async () => {
      await subject?.dispose();
    });

    describe('read', () => {
      it('returns nothing for no keys and an empty row per key for no views', async () => {
        await expect(store.read([], ['customer_profile'])).resolves.toEqual([]);
        await expect(store.read([newCustomer(), newCustomer()], [])).resolves.toEqual([[], []]);
      });

      it('answers in key order, one result per key (duplicates included), null where nothing is stored', async () => {
        const [a, b, c] = [newCustomer(), newCustomer(), newCustomer()];
        await store.write([profileRow(b, 10, at(1))]);
        const result = await store.read([c, b, a, b], ['customer_profile']);
        expect(result).toHaveLength(4);
        expect(result[0]).toEqual([null]);
        expect(result[1]).toEqual([{ values: profile(10), eventTime: at(1) }]);
        expect(result[2]).toEqual([null]);
        expect(result[3]).toEqual(result[1]);
      });

      it('reads many keys x many views in the requested order, mixing entities', async () => {
        const customers = Array.from({ length: 120 }, newCustomer);
        const merchants = Array.from({ length: 10 }, newMerchant);
        const rows: OnlineRow[] = [];
        customers.forEach((key, i) => {
          if (i % 3 !== 0) rows.push(profileRow(key, i, at(i)));
          if (i % 2 === 0) rows.push(exposureRow(key, i, at(i + 1)));
        });
        merchants.forEach((key, i) => rows.push({ key, view: 'merchant_risk', values: { merchant_category: `cat-${i}`, merchant_orders_90d: i }, eventTime: at(i) }));
        await expect(store.write(rows)).resolves.toEqual({ written: rows.length, skipped: 0 });

        const keys = [...customers, ...merchants].reverse();
        const views = ['customer_exposure', 'merchant_risk', 'customer_spending', 'customer_profile'];
        const result = await store.read(keys, views);
        expect(result).toHaveLength(keys.length);
        keys.forEach((key, k) => {
          expect(result[k]).toHaveLength(views.length);
          const [exposure, risk, spending, prof] = result[k];
          expect(spending).toBeNull();
          if (key.entity === 'merchant') {
            const i = merchants.indexOf(key);
            expect(exposure).toBeNull(); // a view of another entity reads as nothing stored
            expect(prof).toBeNull();
            expect(risk?.values['merchant_category']).toBe(`cat-${i}`);
            expect(risk?.values['merchant_default_rate_90d']).toBeNull();
          } else {
            const i = customers.indexOf(key);
            expect(risk).toBeNull();
            expect(prof).toEqual(i % 3 !== 0 ? { values: profile(i), eventTime: at(i) } : null);
            expect(exposure).toEqual(i % 2 === 0 ? { values: exposure_(i), eventTime: at(i + 1) } : null);
          }
        });
      });

      it('rejects an unknown view, naming it, and a request-time view', async () => {
        const read = store.read([newCustomer()], ['customer_profile', 'no_such_view']);
        await expect(read).rejects.toBeInstanceOf(UnknownFeatureViewError);
        await expect(read).rejects.toThrow(/no_such_view/);
        await expect(store.read([], ['no_such_view'])).rejects.toThrow(/no_such_view/);
        await expect(store.read([newCustomer()], ['credit_request'])).rejects.toThrow(/credit_request.*request-time/);
      });

      it('rejects a malformed entity id', async () => {
        await expect(store.read([{ entity: 'customer', id: '007' }], ['customer_profile'])).rejects.toBeInstanceOf(InvalidEntityIdError);
        await expect(store.read([{ entity: 'customer', id: '-1' }], ['customer_profile'])).rejects.toBeInstanceOf(InvalidEntityIdError);
      });
    });

    describe('values', () => {
      it('round-trips every value type: nulls, money, unicode, large integers, negative and fractional doubles, booleans', async () => {
        const cases: FeatureRow[] = [
          { is_vip: true, kyc: Number.MAX_SAFE_INTEGER, label: 'Zürich 東京 🚀 \u0000 end', limit: { amountMinor: 1_234_567_890_123, currency: 'EUR' }, ratio: -0.1 },
          { is_vip: false, kyc: Number.MIN_SAFE_INTEGER, label: '', limit: { amountMinor: -5, currency: 'JPY' }, ratio: 1e-300 },
          { is_vip: null, kyc: 0, label: null, limit: null, ratio: -123456.789 },
          { is_vip: null, kyc: null, label: null, limit: null, ratio: null },
          { is_vip: true, kyc: null, label: 'x'.repeat(10_000), limit: { amountMinor: 0, currency: 'XXX' }, ratio: Number.MAX_VALUE },
          { is_vip: false, kyc: 2 ** 32 + 1, label: 'a', limit: { amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' }, ratio: 0.5 },
        ];
        const keys = cases.map(newCustomer);
        const eventTime = new Date('2025-03-15T10:20:30.456Z');
        await store.write(cases.map((values, i) => ({ key: keys[i], view: 'customer_flags', values, eventTime })));
        const result = await store.read(keys, ['customer_flags']);
        result.forEach(([stored], i) => {
          expect(stored?.values).toEqual(cases[i]);
          expect(stored?.eventTime).toEqual(eventTime);
        });
      });

      it('stores features absent from the row as null, and returns every feature of the view in catalog order', async () => {
        const key = newCustomer();
        await store.write([{ key, view: 'customer_flags', values: { label: 'only' }, eventTime: at(1) }]);
        const [[stored]] = await store.read([key], ['customer_flags']);
        expect(stored?.values).toEqual({ is_vip: null, kyc: null, label: 'only', limit: null, ratio: null });
        expect(Object.keys(stored?.values ?? {})).toEqual(['is_vip', 'kyc', 'label', 'limit', 'ratio']);
      });

      it('rejects rows that do not fit their view, writing nothing of the batch', async () => {
        const key = newCustomer();
        const good = profileRow(key, 1, at(1));
        const bad: Array<[OnlineRow, RegExp, new (...args: never[]) => Error]> = [
          [{ ...good, view: 'no_such_view' }, /no_such_view/, UnknownFeatureViewError],
          [{ ...good, values: { kyc_level: '3' } }, /kyc_level/, InvalidOnlineRowError],
          [{ ...good, values: { kyc_level: 1.5 } }, /kyc_level/, InvalidOnlineRowError],
          [{ ...good, values: { nope: 1 } }, /nope/, InvalidOnlineRowError],
          [{ ...good, key: newMerchant() }, /entity/, InvalidOnlineRowError],
          [{ ...good, eventTime: new Date(NaN) }, /event time/, InvalidOnlineRowError],
          [{ ...good, view: 'customer_exposure', values: { credit_limit: { amountMinor: 1.5, currency: 'EUR' } } }, /credit_limit/, InvalidOnlineRowError],
          [{ ...good, key: { entity: 'customer', id: 'abc' } }, /abc/, InvalidEntityIdError],
        ];
        for (const [row, message, type] of bad) {
          const write = store.write([good, row]);
          await expect(write).rejects.toBeInstanceOf(type);
          await expect(write).rejects.toThrow(message);
        }
        await expect(store.read([key], ['customer_profile'])).resolves.toEqual([[null]]);
      });
    });

    describe('write modes', () => {
      it('if-newer (default): an older or equal event time is skipped, a newer one replaces', async () => {
        const key = newCustomer();
        await expect(store.write([profileRow(key, 2, at(200))])).resolves.toEqual({ written: 1, skipped: 0 });
        await expect(store.write([profileRow(key, 1, at(100))])).resolves.toEqual({ written: 0, skipped: 1 });
        await expect(store.write([profileRow(key, 9, at(200))], { mode: 'if-newer' })).resolves.toEqual({ written: 0, skipped: 1 });
        await expect(store.read([key], ['customer_profile'])).resolves.toEqual([[{ values: profile(2), eventTime: at(200) }]]);
        await expect(store.write([profileRow(key, 3, at(201))])).resolves.toEqual({ written: 1, skipped: 0 });
        await expect(store.read([key], ['customer_profile'])).resolves.toEqual([[{ values: profile(3), eventTime: at(201) }]]);
      });

      it('if-newer judges each view of an entity on its own, and rows within one batch in order', async () => {
        const key = newCustomer();
        await store.write([exposureRow(key, 1, at(500))]);
        const result = await store.write([profileRow(key, 1, at(10)), exposureRow(key, 2, at(10)), profileRow(key, 2, at(20)), profileRow(key, 3, at(15))]);
        expect(result).toEqual({ written: 2, skipped: 2 });
        const [[prof, exp]] = await store.read([key], ['customer_profile', 'customer_exposure']);
        expect(prof).toEqual({ values: profile(2), eventTime: at(20) });
        expect(exp).toEqual({ values: exposure_(1), eventTime: at(500) });
      });

      it('overwrite replaces whatever the event times', async () => {
        const key = newCustomer();
        await store.write([profileRow(key, 2, at(200))]);
        await expect(store.write([profileRow(key, 1, at(100))], { mode: 'overwrite' })).resolves.toEqual({ written: 1, skipped: 0 });
        await expect(store.read([key], ['customer_profile'])).resolves.toEqual([[{ values: profile(1), eventTime: at(100) }]]);
      });

      it('concurrent writers: the newest event time wins whatever the arrival order', async () => {
        const other = subject.openAnother();
        try {
          await waitForPing(other);
          const keys = Array.from({ length: 20 }, newCustomer);
          const times = shuffle(Array.from({ length: 30 }, (_, i) => i + 1));
          await Promise.all(
            times.map((t, n) => (n % 2 === 0 ? store : other).write(keys.map((key) => profileRow(key, t, at(t))))),
          );
          const result = await store.read(keys, ['customer_profile']);
          for (const [stored] of result) expect(stored).toEqual({ values: profile(30), eventTime: at(30) });
        } finally {
          await other.close();
        }
      });

      it('keeps per-day tiles with the values, and judges if-newer on the event time as for any row', async () => {
        const key = newCustomer();
        const view = testCatalog.getView('customer_spending');
        const day = Math.floor(at(0).getTime() / 86_400_000);
        const order = (id: string, d: number, amount: number) => ({
          id, customer_id: key.id, merchant_id: id, amount_minor: amount, currency: 'EUR', installment_count: 4, status: 'active',
          created_at: new Date((day + d) * 86_400_000), updated_at: new Date(day * 86_400_000),
        });
        const customer = { id: key.id, currency: 'EUR', country: 'DE', kyc_level: 1, credit_limit_minor: 1, status: 'active', created_at: at(0), updated_at: at(0) };
        const tiles = summariseViewTiles(view, customer, { orders: [order('1', -29, 100), order('2', 0, 250), order('3', 5, 1000)] }, at(0)) as ViewTiles;
        const values = evaluateViewTiles(view, tiles, day);
        await expect(store.write([{ key, view: 'customer_spending', values, eventTime: at(300), tiles }])).resolves.toEqual({ written: 1, skipped: 0 });
        const [[stored]] = await store.read([key], ['customer_spending']);
        expect(stored).toEqual({ values, eventTime: at(300), tiles });
        expect(evaluateViewTiles(view, stored?.tiles as ViewTiles, day + 5)).toMatchObject({ orders_30d: 2, order_amount_sum_30d: { amountMinor: 1250, currency: 'EUR' } });
        // The Redis write script reads the event time of the tiled form too.
        await expect(store.write([{ key, view: 'customer_spending', values: {}, eventTime: at(299) }])).resolves.toEqual({ written: 0, skipped: 1 });
        await expect(store.write([{ key, view: 'customer_spending', values: {}, eventTime: at(301) }])).resolves.toEqual({ written: 1, skipped: 0 });
        await expect(store.read([key], ['customer_spending'])).resolves.toEqual([[{ values: expect.objectContaining({ orders_30d: null }), eventTime: at(301) }]]);
      });

      it('if-newer over many entities in one write judges each hash and view on its own', async () => {
        const keys = Array.from({ length: 150 }, newCustomer);
        const stored = keys.filter((_, i) => i % 2 === 0);
        await store.write(stored.map((key) => profileRow(key, 1, at(100))));
        // Per entity: a profile older (i % 4 === 0) or newer (i % 4 === 2) than the stored one, or the first
        // (odd i); and an exposure, the entity's first, for every third.
        const rows = keys.flatMap((key, i) => [profileRow(key, 2, at(i % 4 === 0 ? 50 : 150)), ...(i % 3 === 0 ? [exposureRow(key, 7, at(10))] : [])]);
        const older = keys.filter((_, i) => i % 4 === 0).length;
        await expect(store.write(rows)).resolves.toEqual({ written: rows.length - older, skipped: older });
        const result = await store.read(keys, ['customer_profile', 'customer_exposure']);
        result.forEach(([prof, exp], i) => {
          expect(prof).toEqual(i % 4 === 0 ? { values: profile(1), eventTime: at(100) } : { values: profile(2), eventTime: at(150) });
          expect(exp).toEqual(i % 3 === 0 ? { values: exposure_(7), eventTime: at(10) } : null);
        });
      });

      it('keeps a customer and a merchant of one id apart, whether their rows come together or interleaved', async () => {
        const id = String(nextId++);
        const customer: EntityKey = { entity: 'customer', id };
        const merchant: EntityKey = { entity: 'merchant', id };
        const other = newCustomer();
        const risk = (category: string): OnlineRow => ({ key: merchant, view: 'merchant_risk', values: { merchant_category: category }, eventTime: at(5) });
        // customer, customer, merchant (an entity's views together), then customer, other, customer (interleaved).
        await expect(store.write([profileRow(customer, 4, at(5)), exposureRow(customer, 9, at(5)), risk('travel')])).resolves.toEqual({ written: 3, skipped: 0 });
        await expect(store.write([profileRow(customer, 5, at(6)), profileRow(other, 6, at(6)), exposureRow(customer, 10, at(6))])).resolves.toEqual({ written: 3, skipped: 0 });
        const [[customerProfile, customerExposure, customerRisk], [merchantProfile, , merchantRisk], [otherProfile, otherExposure]] = await store.read(
          [customer, merchant, other],
          ['customer_profile', 'customer_exposure', 'merchant_risk'],
        );
        expect([customerProfile, customerExposure, customerRisk]).toEqual([{ values: profile(5), eventTime: at(6) }, { values: exposure_(10), eventTime: at(6) }, null]);
        expect(merchantProfile).toBeNull();
        expect(merchantRisk?.values['merchant_category']).toBe('travel');
        expect([otherProfile, otherExposure]).toEqual([{ values: profile(6), eventTime: at(6) }, null]);
      });

      it('writes batches larger than one pipeline', async () => {
        const keys = Array.from({ length: 2_500 }, newCustomer);
        await expect(store.write(keys.map((key, i) => profileRow(key, i, at(i))))).resolves.toEqual({ written: 2_500, skipped: 0 });
        const result = await store.read(keys, ['customer_profile']);
        result.forEach(([stored], i) => expect(stored?.values['kyc_level']).toBe(i));
      });
    });

    describe('stream watermark', () => {
      it('keeps the latest watermark written, never moving it back', async () => {
        const write = store.writeStreamWatermark?.bind(store);
        const read = store.readStreamWatermark?.bind(store);
        if (!write || !read) throw new Error(`${name} does not keep a stream watermark`);
        // Far in the future, so that other tests of a shared backend cannot have written a later one.
        const base = Date.UTC(2200, 0, 1) + Math.floor(Math.random() * 1_000_000) * 1_000;
        await write(new Date(base));
        await expect(read()).resolves.toEqual(new Date(base));
        await write(new Date(base - 5_000));
        await expect(read()).resolves.toEqual(new Date(base));
        await write(new Date(base + 1));
        await expect(read()).resolves.toEqual(new Date(base + 1));
      });
    });

    describe('delete', () => {
      it('removes every view of the given entities only', async () => {
        const [a, b] = [newCustomer(), newCustomer()];
        await store.write([profileRow(a, 1, at(1)), exposureRow(a, 1, at(1)), profileRow(b, 2, at(1))]);
        await store.delete([a]);
        const result = await store.read([a, b], ['customer_profile', 'customer_exposure']);
        expect(result).toEqual([[null, null], [{ values: profile(2), eventTime: at(1) }, null]]);
      });
    });

    describe('outage', () => {
      it('rejects fast with OnlineStoreUnavailableError while the backend is down, and recovers when it returns', async () => {
        if (!subject.outage) return; // this backend cannot be killed from a test
        const key = newCustomer();
        await store.write([profileRow(key, 1, at(1))]);

        await subject.outage.kill();
        for (const wait of [0, 100]) {
          await sleep(wait);
          const started = Date.now();
          const error = await store.read([newCustomer()], ['customer_profile']).then(() => null, (e: unknown) => e);
          expect(error).toBeInstanceOf(OnlineStoreUnavailableError);
          expect((error as OnlineStoreUnavailableError).reason).toBe('ONLINE_STORE_UNAVAILABLE');
          expect(Date.now() - started).toBeLessThan(200);
        }
        const started = Date.now();
        await expect(store.write([profileRow(newCustomer(), 1, at(1))])).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
        await expect(store.ping()).rejects.toBeInstanceOf(OnlineStoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(200);

        await subject.outage.restart();
        await waitForPing(store);
        const fresh = newCustomer();
        await expect(store.write([profileRow(fresh, 5, at(5))])).resolves.toEqual({ written: 1, skipped: 0 });
        await expect(store.read([fresh], ['customer_profile'])).resolves.toEqual([[{ values: profile(5), eventTime: at(5) }]]);
      });
    });
  });
}

function profile(i: number): FeatureRow {
  return { account_age_days: i * 2, kyc_level: i, country: 'DE', account_status: i % 5 === 0 ? 'suspended' : 'active' };
}

function profileRow(key: EntityKey, i: number, eventTime: Date): OnlineRow {
  return { key, view: 'customer_profile', values: profile(i), eventTime };
}

function exposure_(i: number): FeatureRow {
  return {
    active_plans_count: i % 4,
    outstanding_balance: { amountMinor: i * 1_000, currency: 'EUR' },
    overdue_balance: null,
    credit_limit: { amountMinor: 500_000, currency: 'EUR' },
    utilization: (i * 1_000) / 500_000,
  };
}

function exposureRow(key: EntityKey, i: number, eventTime: Date): OnlineRow {
  return { key, view: 'customer_exposure', values: exposure_(i), eventTime };
}

/** An instant `seconds` after a fixed origin, with milliseconds to check they survive. */
function at(seconds: number): Date {
  return new Date(Date.UTC(2025, 0, 1) + seconds * 1_000 + 7);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForPing(store: OnlineStore): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await store.ping().then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error(`${store.kind} did not answer ping within 10 s`);
    await sleep(50);
  }
}
