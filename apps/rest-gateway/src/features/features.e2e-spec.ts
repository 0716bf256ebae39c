import { getJson, runSql, startTestStack, type TestStack } from '@bnpl/testing';

interface FeaturesBody {
  feature_names: string[];
  results: Array<{ entity_row: Record<string, string>; values: Array<{ value: unknown; status: string; event_time: string | null }> }>;
}

const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const date = (msAgo: number) => iso(msAgo).slice(0, 10);

describe('rest-gateway GET /v1/customers/{id}/features (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack();
    // Customer 1: two orders at merchant 10, one instalment paid 5 days late, one scheduled.
    await runSql(
      stack.pg.url,
      `INSERT INTO merchants (id, name, category, country, created_at) VALUES (10, 'Shop', 'fashion', 'DE', '2023-01-01T00:00:00Z')`,
      `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
       VALUES (1, 'a@example.com', 'A', 'DE', 'EUR', 2, 100000, '${iso(400 * DAY)}', '${iso(DAY)}')`,
      `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
       VALUES (100, 1, 10, 30000, 'EUR', 3, 'active', '${iso(20 * DAY)}', '${iso(DAY)}'),
              (101, 1, 10, 10000, 'EUR', 3, 'completed', '${iso(60 * DAY)}', '${iso(DAY)}')`,
      `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status, paid_at, days_past_due, updated_at)
       VALUES (1000, 100, 1, 1, 10000, 'EUR', '${date(10 * DAY)}', 'paid', '${iso(5 * DAY)}', 5, '${iso(5 * DAY)}'),
              (1001, 100, 1, 2, 20000, 'EUR', '${date(-20 * DAY)}', 'scheduled', NULL, 0, '${iso(DAY)}')`,
    );
    base = (await stack.startService('rest-gateway')).url;
  });

  afterAll(() => stack?.stop());

  const value = (body: FeaturesBody, ref: string) => body.results[0].values[body.feature_names.indexOf(ref)];

  it('serves credit_decision_v1 computed from the source, then the same values from Redis', async () => {
    const url = `${base}/v1/customers/1/features?service=credit_decision_v1&merchant_id=10&requested_amount_minor=5000&currency=EUR`;
    const first = await getJson(url);
    expect(first.status).toBe(200);
    const body = first.body as FeaturesBody;
    expect(body.feature_names).toEqual(expect.arrayContaining(['customer_exposure:outstanding_balance', 'customer_repayment:late_installments_90d']));
    expect(value(body, 'customer_exposure:outstanding_balance')).toMatchObject({ value: { amount_minor: '20000', currency: 'EUR' }, status: 'PRESENT' });
    expect(value(body, 'customer_exposure:active_plans_count')).toMatchObject({ value: 1, status: 'PRESENT' });
    expect(value(body, 'customer_repayment:late_installments_90d')).toMatchObject({ value: 1, status: 'PRESENT' });
    expect(value(body, 'customer_repayment:max_days_past_due_365d')).toMatchObject({ value: 5, status: 'PRESENT' });
    expect(value(body, 'customer_profile:kyc_level')).toMatchObject({ value: 2, status: 'PRESENT' });
    // Refilled into Redis by the first read; the second answer must be identical.
    await new Promise((r) => setTimeout(r, 200));
    const second = (await getJson(url)).body as FeaturesBody;
    expect(second.feature_names).toEqual(body.feature_names);
    body.feature_names.forEach((ref, i) => {
      const [a, b] = [body.results[0].values[i], second.results[0].values[i]];
      expect({ ref, value: b.value, status: b.status }).toEqual({ ref, value: a.value, status: a.status });
      // Stored values keep their event time; request-time features are stamped with each request's instant.
      if (!ref.startsWith('credit_request:')) expect({ ref, event_time: b.event_time }).toEqual({ ref, event_time: a.event_time });
    });
  });

  it('answers an unknown customer with defaults marked MISSING, not an error', async () => {
    const r = await getJson(`${base}/v1/customers/999999/features?features=customer_exposure:active_plans_count,customer_profile:country`);
    expect(r.status).toBe(200);
    const body = r.body as FeaturesBody;
    expect(body.results[0].values.map((v) => v.status)).toEqual(['MISSING', 'MISSING']);
    expect(body.results[0].values[0].value).toBe(0);
  });

  it.each([
    ['an unknown feature', '/v1/customers/1/features?features=customer_exposure:nope', /customer_exposure:nope/],
    ['an unknown service', '/v1/customers/1/features?service=credit_decision_v9', /credit_decision_v9/],
    ['a malformed customer id', '/v1/customers/abc/features?service=credit_decision_v1&merchant_id=10', /abc/],
    ['no service and no features', '/v1/customers/1/features', /exactly one of "service" or "features"/],
    ['a service needing merchant_id without it', '/v1/customers/1/features?service=credit_decision_v1', /merchant_id/],
    ['a bad amount', '/v1/customers/1/features?service=credit_decision_v1&merchant_id=10&requested_amount_minor=-5&currency=EUR', /requested_amount_minor/],
  ])('rejects %s with 400 problem+json naming it', async (_what, path, named) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { status: number; detail: string; reason: string };
    expect(problem.status).toBe(400);
    expect(problem.reason).toMatch(/^[A-Z_]+$/);
    expect(problem.detail).toMatch(named);
  });

  it('keeps answering correctly from PostgreSQL when Redis is down', async () => {
    const url = `${base}/v1/customers/1/features?features=customer_exposure:outstanding_balance,customer_repayment:late_installments_90d`;
    const before = (await getJson(url)).body as FeaturesBody;
    await stack.redis.kill();
    for (let i = 0; i < 5; i++) {
      const r = await getJson(url);
      expect(r.status).toBe(200);
      const body = r.body as FeaturesBody;
      expect(body.results[0].values.map((v) => v.value)).toEqual(before.results[0].values.map((v) => v.value));
    }
    await stack.startRedisAgain();
  });
});
