import { bnplCatalog, evaluateViewTiles, summariseViewTiles } from '@bnpl/feature-definitions';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { seedSyntheticSource, startTestStack, waitFor, type TestStack } from '@bnpl/testing';
import { toFeatureValueJson } from '../http/values.mapper';
import { featuresResponseSchema } from './online-features.schema';

interface FeaturesBody {
  feature_names: string[];
  results: Array<{ entity_row: Record<string, string>; values: Array<{ value: unknown; status: string; event_time: string | null }> }>;
}

const CUSTOMERS = 100;
const UNKNOWN = 999_999;
const AMOUNT = { amount_minor: '5000', currency: 'EUR' };
const merchantOf = (customer: number) => 1 + (customer % 3);
/** MONEY as the REST API writes it. */
const moneyJson = (amount: number, currency: string) => ({ amount_minor: String(amount), currency });

async function post<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as T };
}

/** Reads of stored values refill the online store in the background: give it a moment so later reads see the same event times. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('rest-gateway POST /v1/features/online (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack();
    // 100 customers with 1..3 orders each at 3 merchants, instalments paid (some late) or scheduled.
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    base = (await stack.startService('rest-gateway')).url;
  });

  afterAll(() => stack?.stop());

  it('answers 100 customers in request order, with the values and statuses GET gives for each', async () => {
    // A shuffled order (a step coprime with 100), ids alternately as strings and JSON numbers.
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => ((i * 37) % CUSTOMERS) + 1);
    const entities = ids.map((c, i) => ({ customer_id: i % 2 ? c : String(c), merchant_id: String(merchantOf(c)) }));
    const r = await post<FeaturesBody>(`${base}/v1/features/online`, { feature_service: 'credit_decision_v1', entities, request_context: { requested_amount: AMOUNT } });

    expect(r.status).toBe(200);
    expect(featuresResponseSchema.safeParse(r.body).error).toBeUndefined();
    expect(r.body.feature_names).toEqual(bnplCatalog.resolveService('credit_decision_v1').features.map((f) => f.ref));
    expect(r.body.results.map((row) => row.entity_row)).toEqual(ids.map((c) => ({ customer_id: String(c), merchant_id: String(merchantOf(c)) })));
    expect(r.body.results.every((row) => row.values.every((v) => v.status !== 'MISSING'))).toBe(true);
    // Each customer has its own values (account ages differ by construction), not one row repeated.
    const age = r.body.feature_names.indexOf('customer_profile:account_age_days');
    expect(new Set(r.body.results.map((row) => row.values[age].value)).size).toBe(CUSTOMERS);

    await settle();
    for (const [i, c] of ids.entries()) {
      const response = await fetch(`${base}/v1/customers/${c}/features?service=credit_decision_v1&merchant_id=${merchantOf(c)}&requested_amount_minor=${AMOUNT.amount_minor}&currency=${AMOUNT.currency}`);
      const one = (await response.json()) as FeaturesBody;
      const strip = (row: FeaturesBody['results'][number]) => row.values.map(({ value, status }) => ({ value, status }));
      expect({ customer: c, values: strip(r.body.results[i]) }).toEqual({ customer: c, values: strip(one.results[0]) });
    }
  });

  it('serves a streamed row (with per-day tiles) as of today, current while the stream watermark is, and a batch row by its event time', async () => {
    const DAY_MS = 86_400_000;
    const online = createOnlineStore({ type: 'redis', url: stack.redis.url }, bnplCatalog);
    try {
      await waitFor('the test client to connect to redis', () => online.ping().then(() => true, () => undefined));
      // Both rows last changed 2 days ago: past customer_spending's 6 h TTL. The streamed one has tiles
      // summarised then, holding an order placed 29 days before that, which has left the 30-day window today.
      const changed = new Date(Date.now() - 2 * DAY_MS);
      const spending = bnplCatalog.getView('customer_spending');
      const customer = { id: '90001', country: 'GB', currency: 'EUR', kyc_level: 1, credit_limit_minor: 1, status: 'active', created_at: changed, updated_at: changed };
      const order = (id: string, daysBefore: number) => ({
        id, customer_id: '90001', merchant_id: '1', amount_minor: 700, currency: 'EUR', installment_count: 4, status: 'active',
        created_at: new Date(changed.getTime() - daysBefore * DAY_MS), updated_at: changed,
      });
      const tiles = summariseViewTiles(spending, customer, { orders: [order('1', 29), order('2', 0)] }, changed);
      if (!tiles) throw new Error('no tiles');
      const values = evaluateViewTiles(spending, tiles, tiles.asOfDay);
      expect(values['orders_30d']).toBe(2);
      await online.write([
        { key: { entity: 'customer', id: '90001' }, view: 'customer_spending', values, eventTime: changed, tiles },
        { key: { entity: 'customer', id: '90002' }, view: 'customer_spending', values, eventTime: changed },
      ]);
      const read = async () =>
        (await post<FeaturesBody>(`${base}/v1/features/online`, { features: ['customer_spending:orders_30d', 'customer_spending:order_amount_sum_30d'], entities: [{ customer_id: '90001' }, { customer_id: '90002' }] })).body.results.map((row) => row.values.map((v) => [v.value, v.status]));

      // No watermark: both judged by their event time. The streamed row's window moved to today.
      expect(await read()).toEqual([
        [[1, 'STALE'], [moneyJson(700, 'EUR'), 'STALE']],
        [[2, 'STALE'], [moneyJson(1400, 'EUR'), 'STALE']],
      ]);
      // The stream says every change up to now is applied: the streamed row is current (the gateway polls it every second).
      await online.writeStreamWatermark?.(new Date());
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await read()).toEqual([
        [[1, 'PRESENT'], [moneyJson(700, 'EUR'), 'PRESENT']],
        [[2, 'STALE'], [moneyJson(1400, 'EUR'), 'STALE']],
      ]);
    } finally {
      await online.close();
    }
  });

  it("answers an unknown customer with each feature's default, marked MISSING, next to a known one", async () => {
    const features = ['customer_exposure:*', 'customer_profile:country'];
    const r = await post<FeaturesBody>(`${base}/v1/features/online`, { features, entities: [{ customer_id: String(UNKNOWN) }, { customer_id: '1' }] });
    expect(r.status).toBe(200);
    const [unknown, known] = r.body.results;
    expect(unknown.entity_row).toEqual({ customer_id: String(UNKNOWN) });
    expect(unknown.values).toEqual(r.body.feature_names.map((ref) => ({ value: toFeatureValueJson(bnplCatalog.getFeature(ref).feature.default), status: 'MISSING', event_time: null })));
    expect(known.values.every((v) => v.status !== 'MISSING')).toBe(true);
  });
});
