import fc from 'fast-check';
import { bnplCatalog, FeatureStoreError, MAX_ERROR_MESSAGE_LENGTH, type FeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore } from '@bnpl/online-store';
import { describeCatalog, GetOnlineFeatures } from '@bnpl/serving';
import { ProblemJsonFilter } from '../errors/problem-json.filter';
import { feastRequestSchema } from '../feast/feast.schema';
import { toFeastQuery } from '../feast/feast-request.mapper';
import { feastEntityColumns, nativeEntityRows, refuseOversizedBatch } from '../http/batch-size';
import { parseBody } from '../http/parse-body';
import { toFeatureQuery } from './feature-query.mapper';
import { toOnlineFeaturesCommand } from './online-features.mapper';
import { onlineFeaturesRequestSchema } from './online-features.schema';

/** Fixed, so that CI runs the same inputs every time; a failure prints the counterexample to replay. */
const SEED = 20261201;
const RUNS = 300;

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * A source in which every customer owes a large, id-dependent amount: in-range request amounts then meet
 * stored values near the exact range, where request-time arithmetic used to overflow.
 */
const source: SourceFeatureReader = {
  async readView(view, ids) {
    return ids.map((id): FeatureRow | null => {
      if (id.length > 6) return null; // large ids: unknown entities
      const big = MAX - Number(id) * 1_000;
      const row: Record<string, FeatureRow[string]> = {};
      for (const f of bnplCatalog.getView(view).features) row[f.name] = null;
      if (view === 'customer_exposure') row['outstanding_balance'] = { amountMinor: Number(id) % 2 ? big : -big, currency: 'EUR' };
      if (view === 'customer_spending') row['avg_order_amount_90d'] = { amountMinor: Number(id) % 3, currency: 'EUR' };
      return row as FeatureRow;
    });
  },
  async readViewRange() {
    throw new Error('not used by the read path');
  },
};

const catalog = describeCatalog(bnplCatalog);
/** What a body can be: REST bodies are JSON, parsed (no undefined, no prototype-less objects). */
const asJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const filter = new ProblemJsonFilter();
let namespace = 0;

/**
 * Runs `handle` and holds the edge's promise: an answer, or an error the problem+json filter turns into a
 * 4xx with a bounded detail. Never a 5xx, whatever the input.
 */
async function expectNoServerError(handle: () => Promise<unknown>): Promise<void> {
  try {
    await handle();
  } catch (error) {
    const problem = filter.toProblem(error, { url: '/v1/features/online', headers: {} });
    if (problem.status >= 500) throw new Error(`answered ${problem.status}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
    expect(error instanceof FeatureStoreError || (error as { getStatus?: unknown }).getStatus !== undefined).toBe(true);
    expect(problem.detail.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  }
}

// Values near the edges of every field: names valid and not, ids of every form, amounts across the exact range.
const name = fc.oneof(
  fc.constantFrom('credit_decision_v1', 'customer_profile:*', 'customer_exposure:outstanding_balance', 'credit_request:exposure_after_order', 'credit_request:*', 'merchant_risk:*', 'nope:x', ':', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 2_000, maxLength: 3_000 }),
);
const id = fc.oneof(fc.integer({ min: 1, max: 99 }).map(String), fc.constantFrom('0', '007', '-1', '9223372036854775807', '9223372036854775808', 'abc', ''), fc.integer({ min: -10, max: MAX }), fc.double(), fc.string());
const amount = fc.oneof(fc.bigInt({ min: BigInt(-MAX), max: BigInt(MAX) }).map(String), fc.constantFrom(String(MAX), `-${MAX}`, '9007199254740992', '1e3', '0x10', ' 1', ''), fc.integer(), fc.double());
const money = fc.record({ amount_minor: amount, currency: fc.constantFrom('EUR', 'GBP', 'eur', 'XXX', '') }, { requiredKeys: [] });
const row = fc.dictionary(fc.constantFrom('customer_id', 'merchant_id', 'shop_id', '__proto__'), id, { maxKeys: 3 });
const nativeBody = fc.oneof(
  fc.record(
    {
      feature_service: name,
      features: fc.array(name, { maxLength: 4 }),
      entities: fc.array(row, { maxLength: 5 }),
      request_context: fc.dictionary(fc.constantFrom('requested_amount', 'amount', 'requested_ammount'), fc.oneof(money, fc.jsonValue()), { maxKeys: 2 }),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
).map(asJson);

describe('request schemas under fuzzing (fast-check, fixed seed): bad input is a 4xx naming it, never a 5xx', () => {
  const useCase = () => new GetOnlineFeatures(bnplCatalog, new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `fuzz-${++namespace}` }), source, { streamWatermarkRefreshMs: 0 });

  it('POST /v1/features/online: schema, size check, mapper and read path', async () => {
    const read = useCase();
    const schema = onlineFeaturesRequestSchema(catalog);
    await fc.assert(
      fc.asyncProperty(nativeBody, async (body) => {
        await expectNoServerError(async () => {
          refuseOversizedBatch(body, nativeEntityRows);
          return read.execute(toOnlineFeaturesCommand(parseBody(schema, body)));
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await read.close();
  });

  it('credit_decision_v1 with any accepted amount, for customers owing amounts near 2^53: answered, never an overflow', async () => {
    const read = useCase();
    const schema = onlineFeaturesRequestSchema(catalog);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: BigInt(-MAX), max: BigInt(MAX) }), fc.integer({ min: 1, max: 999 }), async (requested, customer) => {
        const body = { feature_service: 'credit_decision_v1', entities: [{ customer_id: String(customer), merchant_id: '1' }], request_context: { requested_amount: { amount_minor: String(requested), currency: 'EUR' } } };
        const result = await read.execute(toOnlineFeaturesCommand(parseBody(schema, body)));
        expect(result.results).toHaveLength(1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await read.close();
  });

  it('GET /v1/customers/{id}/features: query mapper and read path', async () => {
    const read = useCase();
    const param = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(id.map(String), fc.record({ service: param, features: param, merchant_id: param, requested_amount_minor: fc.oneof(param, amount.map(String)), currency: param }), async (customer, query) => {
        await expectNoServerError(async () => read.execute(toFeatureQuery(customer, query as Parameters<typeof toFeatureQuery>[1])));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await read.close();
  });

  it('POST /get-online-features: Feast schema, size check, mapper and read path', async () => {
    const read = useCase();
    const schema = feastRequestSchema(catalog);
    const column = fc.array(fc.oneof(id, money), { maxLength: 4 });
    const body = fc.oneof(
      fc.record(
        {
          feature_service: fc.oneof(name, fc.constant(null)),
          features: fc.oneof(fc.array(name, { maxLength: 3 }), fc.constant(null)),
          entities: fc.dictionary(fc.constantFrom('customer_id', 'merchant_id', 'requested_amount', 'other'), column, { maxKeys: 3 }),
          full_feature_names: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    ).map(asJson);
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await expectNoServerError(async () => {
          refuseOversizedBatch(b, feastEntityColumns);
          const request = parseBody(schema, b);
          const order = Object.keys((b as { entities: object }).entities);
          return read.execute(toFeastQuery(request, order, ['customer_id', 'merchant_id']).command);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await read.close();
  });
});
