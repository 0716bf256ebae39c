import { request as httpRequest } from 'node:http';
import { seedSyntheticSource, startTestStack, type TestStack } from '@bnpl/testing';
import { feastErrorDetailSchema, feastResponseSchema, type FeastResponseJson } from './feast.schema';
import { FEAST_NO_TIMESTAMP, feastTimestamp } from './feast-response.mapper';

interface FeaturesBody {
  feature_names: string[];
  results: Array<{ entity_row: Record<string, string>; values: Array<{ value: unknown; status: string; event_time: string | null }> }>;
}

const CUSTOMERS = 20;
const UNKNOWN = 999_999;
const FEATURES = ['customer_exposure:active_plans_count', 'customer_profile:kyc_level', 'customer_exposure:credit_limit'];
const BARE = ['active_plans_count', 'kyc_level', 'credit_limit'];
const AMOUNT = { amount_minor: '5000', currency: 'EUR' };
const FEAST_STATUS = { MISSING: 'NOT_FOUND', DEFAULT: 'NULL_VALUE', STALE: 'OUTSIDE_MAX_AGE', PRESENT: 'PRESENT' } as const;

/**
 * The headers Python's `requests` sends from Feast's remote online store (`session.post(url, data=...)`
 * with a str body: no Content-Type; `json=...` adds `Content-Type: application/json`).
 */
const REQUESTS_HEADERS = { 'User-Agent': 'python-requests/2.32.3', 'Accept-Encoding': 'gzip, deflate', Accept: '*/*', Connection: 'keep-alive' };

/** A value as Python's `json.dumps` writes it (`", "` and `": "` separators), as the remote online store builds its body. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** Posts exactly these bytes with exactly these headers (fetch would add a Content-Type to a string body). */
function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads of stored values refill the online store in the background: give it a moment so later reads see the same event times. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("rest-gateway POST /get-online-features as Feast's clients call it (real PostgreSQL and Redis)", () => {
  let stack: TestStack;
  let base: string;
  let url: string;

  /** As the pre-0.64 remote online store sends it: json.dumps text, `data=`, so no Content-Type. */
  const asOldRemoteStore = (body: object) => post(url, pythonJson(body), REQUESTS_HEADERS);
  /** As the 0.64+ remote online store sends it: every parameter, `json=`, so `Content-Type: application/json`. */
  const asRemoteStore = (body: object) =>
    post(url, pythonJson({ full_feature_names: false, include_feature_view_version_metadata: false, ...body }), { ...REQUESTS_HEADERS, 'Content-Type': 'application/json' });

  function feastBody(answer: Answer): FeastResponseJson {
    expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({ status: 200 });
    expect(answer.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(answer.text) as FeastResponseJson;
    expect(feastResponseSchema.safeParse(body).error).toBeUndefined();
    return body;
  }

  /** A Feast error: the status, and the JSON string holding `{"module", "class", "message"}`, decoded twice as Feast's client does. */
  function feastError(answer: Answer, status: number): { module: string; class: string; message: string } {
    expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({ status });
    expect(answer.contentType).toMatch(/^application\/json/);
    const once = JSON.parse(answer.text) as unknown;
    expect(typeof once).toBe('string');
    return feastErrorDetailSchema.parse(JSON.parse(once as string));
  }

  /** This store's own answer for the customers (read twice, so that both answers come from the refilled online store). */
  async function nativeAnswer(customers: number[]): Promise<FeaturesBody> {
    const body = JSON.stringify({ features: FEATURES, entities: [...new Set(customers)].map((c) => ({ customer_id: String(c) })) });
    const read = async () => JSON.parse((await post(`${base}/v1/features/online`, body, { 'Content-Type': 'application/json' })).text) as FeaturesBody;
    await read();
    await settle();
    return read();
  }

  /** The Feast column each feature of the native answer becomes, for the customers in request order. */
  function expectedColumns(native: FeaturesBody, customers: number[]) {
    const rowOf = (c: number) => native.results.find((row) => row.entity_row.customer_id === String(c));
    return FEATURES.map((_, f) => {
      const cells = customers.map((c) => rowOf(c)?.values[f]);
      return {
        values: cells.map((v) => (v?.status === 'MISSING' || v?.status === 'DEFAULT' ? null : v?.value)),
        statuses: cells.map((v) => FEAST_STATUS[v?.status as keyof typeof FEAST_STATUS]),
        event_timestamps: cells.map((v) => feastTimestamp(v?.event_time ? new Date(v.event_time) : null)),
      };
    });
  }

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    base = (await stack.startService('rest-gateway')).url;
    url = `${base}/get-online-features`;
  });

  afterAll(() => stack?.stop());

  it('answers the body the pre-0.64 remote online store sends, without Content-Type, with null for NOT_FOUND', async () => {
    const customers = [3, 2, UNKNOWN];
    const native = await nativeAnswer(customers);
    const body = feastBody(await asOldRemoteStore({ features: FEATURES, entities: { customer_id: customers } }));
    expect(body.metadata.feature_names).toEqual(['customer_id', ...BARE]);
    expect(body.results[0]).toEqual({ values: customers, statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP, FEAST_NO_TIMESTAMP] });
    expect(body.results.slice(1)).toEqual(expectedColumns(native, customers));
    // The unknown customer: NOT_FOUND, null (not the catalog default), the epoch.
    expect(body.results.slice(1).map((column) => [column.values[2], column.statuses[2], column.event_timestamps[2]])).toEqual(FEATURES.map(() => [null, 'NOT_FOUND', FEAST_NO_TIMESTAMP]));
    // Known customers' values are there, money in the REST shape.
    expect(body.results[3].values[0]).toEqual({ amount_minor: expect.stringMatching(/^\d+$/), currency: expect.stringMatching(/^[A-Z]{3}$/) });
  });

  it('answers the body the 0.64+ remote online store sends, include_feature_view_version_metadata and all', async () => {
    const customers = [4, 5];
    const native = await nativeAnswer(customers);
    const body = feastBody(await asRemoteStore({ entities: { customer_id: customers }, features: FEATURES, full_feature_names: true, include_feature_view_version_metadata: true }));
    expect(body.metadata).toEqual({ feature_names: ['customer_id', ...FEATURES.map((ref) => ref.replace(':', '__'))] });
    expect(body.results.slice(1)).toEqual(expectedColumns(native, customers));
  });

  it('reads repeated entity rows once and fans the answer back out in request order', async () => {
    const customers = [6, 7, 6, 6, UNKNOWN, 7, UNKNOWN];
    const native = await nativeAnswer(customers);
    const body = feastBody(await asRemoteStore({ entities: { customer_id: customers }, features: FEATURES }));
    expect(body.results[0].values).toEqual(customers);
    expect(body.results.slice(1)).toEqual(expectedColumns(native, customers));
    for (const column of body.results) expect(column.values).toHaveLength(customers.length);
  });

  it("converts entity values to the entity's declared type: \"8\", 8 and \"008\" are customer 8, echoed as 8", async () => {
    const native = await nativeAnswer([8]);
    const body = feastBody(await asRemoteStore({ entities: { customer_id: ['8', 8, '008'] }, features: FEATURES }));
    expect(body.results[0].values).toEqual([8, 8, 8]);
    expect(body.results.slice(1)).toEqual(expectedColumns(native, [8, 8, 8]));
    expect(body.results.slice(1).every((column) => column.statuses.every((s) => s === 'PRESENT'))).toBe(true);
  });

  it('ignores unknown top-level fields and unknown entity keys, as Feast does', async () => {
    const body = feastBody(await asRemoteStore({ entities: { driver_id: [1001, 1002], customer_id: [9, 10] }, features: FEATURES, project: 'credit', api_version: 2 }));
    expect(body.metadata.feature_names).toEqual(['customer_id', ...BARE]);
    expect(body.results[0].values).toEqual([9, 10]);
  });

  it('serves a feature service with request data in the REST money shape, join key columns in request order', async () => {
    const body = feastBody(
      await asRemoteStore({ feature_service: 'credit_decision_v1', features: null, entities: { merchant_id: [1, '2', 1], customer_id: ['1', 2, '1'], requested_amount: [AMOUNT, AMOUNT, AMOUNT] } }),
    );
    expect(body.metadata.feature_names.slice(0, 3)).toEqual(['merchant_id', 'customer_id', 'account_age_days']);
    expect(body.metadata.feature_names).toContain('exposure_after_order');
    expect(body.metadata.feature_names).not.toContain('requested_amount');
    expect(body.results.slice(0, 2).map((column) => column.values)).toEqual([
      [1, 2, 1],
      [1, 2, 1],
    ]);
    // Rows 0 and 2 are the same entity row: the same answer.
    expect(body.results.every((column) => JSON.stringify(column.values[0]) === JSON.stringify(column.values[2]))).toBe(true);
  });

  describe("errors, in Feast's format with their own status", () => {
    it.each([
      ['an unknown feature view', { entities: { customer_id: [1] }, features: ['nope:kyc_level'] }, 404, 'feast.errors', 'FeatureViewNotFoundException', /"nope"/],
      ['an unknown feature service', { entities: { customer_id: [1] }, feature_service: 'credit_decision_v9' }, 404, 'feast.errors', 'FeatureServiceNotFoundException', /credit_decision_v9/],
      ['an unknown feature of a known view', { entities: { customer_id: [1] }, features: ['customer_profile:nope'] }, 404, 'feast.errors', 'FeastObjectNotFoundException', /customer_profile:nope/],
      ['entity columns of different lengths', { entities: { customer_id: [1, 2], merchant_id: [1] }, features: FEATURES }, 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError', /customer_id has 2 and merchant_id has 1/],
      ['an entity value of another type', { entities: { customer_id: [1, true] }, features: FEATURES }, 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError', /entities\.customer_id\[1\]: expected an INT64 entity value/],
      ['no entities', { features: FEATURES }, 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError', /entities: Invalid input: expected object/],
      ['no entity rows', { entities: { customer_id: [] }, features: FEATURES }, 422, 'bnpl.featurestore.errors', 'EmptyEntityRowsError', /No entity rows/],
      ['an invalid id', { entities: { customer_id: [0] }, features: FEATURES }, 422, 'bnpl.featurestore.errors', 'InvalidEntityIdError', /customer_id "0"/],
      ['request data that differs between rows', { feature_service: 'credit_decision_v1', entities: { customer_id: [1, 2], merchant_id: [1, 1], requested_amount: [AMOUNT, { amount_minor: '1', currency: 'EUR' }] } }, 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError', /request data must be the same in every entity row/],
      ['a column of 1001 ids', { entities: { customer_id: Array.from({ length: 1001 }, (_, i) => i + 1) }, features: FEATURES }, 422, 'bnpl.featurestore.errors', 'InvalidRequestBodyError', /entities\.customer_id: at most 1000/],
    ])('answers %s', async (_what, body, status, module, className, message) => {
      const detail = feastError(await asRemoteStore(body), status);
      expect(detail).toMatchObject({ module, class: className });
      expect(detail.message).toMatch(message);
    });

    it('answers invalid JSON, a body that is not JSON and a body over 1 MiB in the same format', async () => {
      expect(feastError(await post(url, '{"entities": {', REQUESTS_HEADERS), 422)).toMatchObject({ class: 'BadRequestError', message: expect.stringMatching(/not valid JSON/) });
      expect(feastError(await post(url, '{}', { ...REQUESTS_HEADERS, 'Content-Type': 'text/plain' }), 415)).toMatchObject({ class: 'UnsupportedMediaTypeError', message: expect.stringMatching(/text\/plain/) });
      // fetch, not a raw request: the server answers 413 before reading the body, and fetch copes with the early answer.
      const huge = Buffer.from(pythonJson({ entities: { customer_id: Array.from({ length: 200_000 }, (_, i) => i + 1) }, features: FEATURES }));
      const response = await fetch(url, { method: 'POST', headers: REQUESTS_HEADERS, body: huge, signal: AbortSignal.timeout(10_000) });
      const tooLarge = { status: response.status, contentType: response.headers.get('content-type') ?? undefined, text: await response.text() };
      expect(feastError(tooLarge, 413)).toMatchObject({ class: 'ContentTooLargeError', message: expect.stringMatching(/at most 1048576 bytes/) });
    });

    it('leaves the other routes as they were: problem+json, and a body without Content-Type refused', async () => {
      const answer = await post(`${base}/v1/features/online`, '{}', REQUESTS_HEADERS);
      expect(answer.status).toBe(415);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    });
  });
});
