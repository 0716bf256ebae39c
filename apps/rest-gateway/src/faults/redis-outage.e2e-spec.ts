import { getJson, seedSyntheticSource, startTestStack, waitFor, type TestStack } from '@bnpl/testing';

interface FeaturesBody {
  feature_names: string[];
  results: Array<{ values: Array<{ value: unknown; status: string }> }>;
}

const CUSTOMERS = 40;
const WORKERS = 8;

/** Every stored value of the answer, with its status: what must not change when Redis goes away. */
const storedValues = (body: FeaturesBody) =>
  body.feature_names.flatMap((ref, i) => (ref.startsWith('credit_request:') ? [] : [[ref, body.results[0].values[i].value, body.results[0].values[i].status]]));

const counter = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);

/**
 * Fault test: Redis is killed while clients keep reading, then comes back. Every answer during and after
 * the outage must be a 200 with exactly the values served before it (now computed from PostgreSQL).
 */
describe('rest-gateway under load while Redis dies and returns (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    // L1 off: with it, most reads during a short outage would be answered from memory and the fallback
    // to PostgreSQL would hardly be exercised.
    base = (await stack.startService('rest-gateway', { ONLINE_STORE_L1_MAX_ENTRIES: '0' })).url;
  });

  afterAll(() => stack?.stop());

  const urlOf = (customer: number) => `${base}/v1/customers/${customer}/features?service=credit_decision_v1&merchant_id=${1 + (customer % 3)}&requested_amount_minor=9000&currency=EUR`;

  it('answers every request correctly while Redis is killed and restarted, and goes back to Redis afterwards', async () => {
    // Expected answers, computed from PostgreSQL and refilled into Redis by the first reads.
    const expected = new Map<number, unknown>();
    for (let c = 1; c <= CUSTOMERS; c++) {
      const r = await getJson(urlOf(c));
      expect(r.status).toBe(200);
      expected.set(c, storedValues(r.body as FeaturesBody));
    }
    const unknown = await getJson(urlOf(CUSTOMERS + 1000));
    expect((unknown.body as FeaturesBody).results[0].values.some((v) => v.status === 'MISSING')).toBe(true);
    // Four customer views per customer, plus the three merchants' risk view.
    await waitFor('the refills to reach Redis', async () => counter((await getJson(`${base}/metrics`)).body as string, 'bnpl_serving_refilled_rows_total') >= CUSTOMERS * 4 + 3);

    const failures: string[] = [];
    let answered = 0;
    let stop = false;
    const worker = async (w: number) => {
      for (let i = w; !stop; i += WORKERS) {
        const customer = (i % CUSTOMERS) + 1;
        try {
          const r = await getJson(urlOf(customer));
          if (r.status !== 200) failures.push(`customer ${customer}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          else if (JSON.stringify(storedValues(r.body as FeaturesBody)) !== JSON.stringify(expected.get(customer))) failures.push(`customer ${customer}: values differ`);
          answered++;
        } catch (error) {
          failures.push(`customer ${customer}: ${(error as Error).message}`);
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    const metricsBefore = (await getJson(`${base}/metrics`)).body as string;
    await new Promise((r) => setTimeout(r, 500));
    await stack.redis.kill();
    const answeredAtKill = answered;
    await new Promise((r) => setTimeout(r, 2_000));
    const answeredDuringOutage = answered - answeredAtKill;
    await stack.startRedisAgain();
    // The breaker half-opens within its reset timeout (5 s) and reads return to Redis.
    await waitFor(
      'reads to be served from Redis again',
      async () => {
        const metrics = (await getJson(`${base}/metrics`)).body as string;
        return /bnpl_serving_breaker_state\{dependency="online-store"\} 0/.test(metrics) && counter(metrics, 'bnpl_serving_online_hits_total') > counter(metricsBefore, 'bnpl_serving_online_hits_total');
      },
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load;

    expect(failures.slice(0, 5)).toEqual([]);
    expect(answeredDuringOutage).toBeGreaterThan(50);
    const metricsAfter = (await getJson(`${base}/metrics`)).body as string;
    expect(counter(metricsAfter, 'bnpl_serving_online_failures_total')).toBeGreaterThan(0);
    expect(counter(metricsAfter, 'bnpl_serving_source_reads_total')).toBeGreaterThan(counter(metricsBefore, 'bnpl_serving_source_reads_total'));
  });
});
