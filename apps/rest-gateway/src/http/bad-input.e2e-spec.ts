import { connect } from 'node:net';
import { MAX_ERROR_MESSAGE_LENGTH } from '@bnpl/feature-definitions';
import {
  BAD_INPUT_SEED_SQL,
  BAD_READ_CASES,
  caseOn,
  OVERSIZED_BODY_BYTES,
  runSql,
  startTestStack,
  type CaseMoney,
  type CaseOutcome,
  type CaseRead,
  type ReadEndpoint,
  type StartedService,
  type TestStack,
} from '@bnpl/testing';
import { problemSchema, type Problem } from '../errors/problem.schema';
import { feastErrorDetailSchema, feastResponseSchema } from '../feast/feast.schema';
import { featuresResponseSchema } from '../features/online-features.schema';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ customer_id: String(i + 1) }));
const creditDecision = { feature_service: 'credit_decision_v1', request_context: { requested_amount: { amount_minor: '5000', currency: 'EUR' } } };

const money = (m: CaseMoney | number) => (typeof m === 'number' ? m : { amount_minor: m.amountMinor, currency: m.currency });
const context = (read: CaseRead) => (read.requestContext ? { request_context: Object.fromEntries(Object.entries(read.requestContext).map(([k, v]) => [k, money(v)])) } : {});
const selection = (read: CaseRead) => (read.featureService !== undefined ? { feature_service: read.featureService } : { features: read.features });

/** A case of the shared table as each REST read endpoint carries it: a path and a request. */
const RENDER: Record<Exclude<ReadEndpoint, 'GetOnlineFeatures'>, (read: CaseRead) => { path: string; init: RequestInit }> = {
  'GET /v1/customers/{id}/features': (read) => {
    const { customer_id: customer, merchant_id: merchant } = read.rows[0];
    const query = new URLSearchParams(read.featureService !== undefined ? { service: read.featureService } : { features: (read.features ?? []).join(',') });
    if (merchant !== undefined) query.set('merchant_id', merchant);
    const amount = read.requestContext?.['requested_amount'];
    if (typeof amount === 'object') {
      query.set('requested_amount_minor', amount.amountMinor);
      query.set('currency', amount.currency);
    }
    return { path: `/v1/customers/${customer}/features?${query}`, init: {} };
  },
  'POST /v1/features/online': (read) => ({ path: '/v1/features/online', init: json({ ...selection(read), entities: read.rows, ...context(read) }) }),
  'POST /get-online-features': (read) => {
    const keys = [...new Set(read.rows.flatMap((r) => Object.keys(r)))];
    const columns: Record<string, unknown[]> = Object.fromEntries(keys.map((k) => [k, read.rows.map((r) => r[k])]));
    for (const [name, value] of Object.entries(read.requestContext ?? {})) columns[name] = read.rows.map(() => money(value));
    return { path: '/get-online-features', init: json({ ...selection(read), entities: columns, full_feature_names: true }) };
  },
};

/** Sends raw bytes and collects the answer until the server closes the connection (or `timeoutMs`). */
function rawExchange(port: number, request: string, timeoutMs: number): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer: Buffer.concat(chunks).toString(), closed: false });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset after the answer is still a closed connection
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer: Buffer.concat(chunks).toString(), closed: true });
    });
    socket.write(request);
  });
}

/**
 * Every kind of bad input, over real HTTP against the real service: each a 4xx problem+json naming the
 * problem, never a 5xx or a hang, and the service keeps serving afterwards.
 */
describe('rest-gateway bad input (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let service: StartedService;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack();
    // Customer 1 owes something: the overflow cases need an outstanding balance.
    await runSql(stack.pg.url, ...BAD_INPUT_SEED_SQL);
    service = await stack.startService('rest-gateway');
    base = service.url;
  });

  afterAll(() => stack?.stop());

  async function expectProblem(path: string, init: RequestInit, status: number, reason: string | RegExp, detail: RegExp): Promise<Problem> {
    const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    expect({ status: response.status, text }).toMatchObject({ status });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(JSON.parse(text));
    // The instance is the path, cut like every quoted input when longer than the bound.
    expect(problem).toMatchObject({ status, reason, instance: path.length <= MAX_ERROR_MESSAGE_LENGTH ? path : expect.stringMatching(/ … \(cut: \d+ characters\)$/) });
    expect(problem.detail).toMatch(detail);
    return problem;
  }

  describe('POST /v1/features/online', () => {
    const path = '/v1/features/online';

    it.each([
      ['invalid JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entities": [' }, 400, 'BAD_REQUEST', /not valid JSON/],
      ['an empty JSON body', { method: 'POST', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST', /Body cannot be empty/],
      ['no body at all', { method: 'POST' }, 400, 'INVALID_REQUEST_BODY', /No request body: send a JSON object with Content-Type: application\/json/],
      ['a text/plain body', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE', /"text\/plain": send the body as application\/json/],
      ['a form body', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'customer_id=1' }, 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/x-www-form-urlencoded/],
      ['a multipart body', { method: 'POST', body: new FormData() }, 415, 'UNSUPPORTED_MEDIA_TYPE', /multipart\/form-data/],
      ['a body over 1 MiB', json({ features: ['customer_profile:kyc_level'], entities: rows(60_000) }), 413, 'CONTENT_TOO_LARGE', /too large: at most 1048576 bytes/],
      ['empty entities', json({ features: ['customer_profile:kyc_level'], entities: [] }), 400, 'INVALID_REQUEST_BODY', /entities: give at least one entity row/],
      ['1001 entities', json({ features: ['customer_profile:kyc_level'], entities: rows(1001) }), 400, 'INVALID_REQUEST_BODY', /entities: at most 1000 entity rows per request, got 1001/],
      ['duplicate entity rows', json({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: '1' }, { customer_id: '2' }, { customer_id: '1' }] }), 400, 'DUPLICATE_ENTITY_ROW', /Entity row 2 \(customer_id=1\) repeats entity row 0/],
      ['an unknown feature', json({ features: ['customer_profile:nope'], entities: rows(1) }), 400, 'UNKNOWN_FEATURE', /customer_profile:nope/],
      ['an unknown feature view', json({ features: ['nope:kyc_level'], entities: rows(1) }), 400, 'UNKNOWN_FEATURE_VIEW', /"nope"/],
      ['an unknown service', json({ feature_service: 'credit_decision_v9', entities: rows(1) }), 400, 'UNKNOWN_FEATURE_SERVICE', /credit_decision_v9/],
      ['both a service and features', json({ feature_service: 'credit_decision_v1', features: ['customer_profile:kyc_level'], entities: rows(1) }), 400, 'INVALID_FEATURE_SELECTION', /either a feature service or a list of features/],
      ['a malformed id', json({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: 'abc' }] }), 400, 'INVALID_ENTITY_ID', /row 0: invalid customer_id "abc"/],
      ['an id with a leading zero', json({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: '007' }] }), 400, 'INVALID_ENTITY_ID', /"007"/],
      ['an id beyond bigint', json({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: '9223372036854775808' }] }), 400, 'INVALID_ENTITY_ID', /9223372036854775808/],
      ['a numeric id beyond 2^53', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"features":["customer_profile:kyc_level"],"entities":[{"customer_id":9007199254740993}]}' }, 400, 'INVALID_REQUEST_BODY', /entities\[0\]\.customer_id: .*beyond 2\^53-1.*send ids as decimal strings/],
      ['an id of the wrong type', json({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: [1] }] }), 400, 'INVALID_REQUEST_BODY', /entities\[0\]\.customer_id: expected an id as a decimal string/],
      ['a service needing merchant_id without it', json({ ...creditDecision, entities: rows(1) }), 400, 'MISSING_ENTITY_ID', /row 0: no merchant_id, which credit_decision_v1 needs/],
      ['a missing request input', json({ feature_service: 'credit_decision_v1', entities: [{ customer_id: '1', merchant_id: '1' }] }), 400, 'INVALID_REQUEST_INPUT', /"requested_amount": required by credit_request:/],
      ['a request input of the wrong type', json({ ...creditDecision, entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { requested_amount: '50 EUR' } }), 400, 'INVALID_REQUEST_BODY', /request_context\.requested_amount: .*expected object/],
      ['an unknown request input', json({ ...creditDecision, entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { amount: 1 } }), 400, 'INVALID_REQUEST_BODY', /request_context: unknown field "amount"/],
      ['money in the old camelCase shape', json({ ...creditDecision, entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { requested_amount: { amountMinor: 5000, currency: 'EUR' } } }), 400, 'INVALID_REQUEST_BODY', /request_context\.requested_amount: unknown field "amountMinor" \(known fields: amount_minor, currency\)/],
      ['a fractional money amount', json({ ...creditDecision, entities: [{ customer_id: '1', merchant_id: '1' }], request_context: { requested_amount: { amount_minor: '50.5', currency: 'EUR' } } }), 400, 'INVALID_REQUEST_BODY', /request_context\.requested_amount\.amount_minor: expected an integer of minor units/],
      ['an unknown top-level field', json({ features: ['customer_profile:kyc_level'], entities: rows(1), as_of: '2025-01-01' }), 400, 'INVALID_REQUEST_BODY', /body: unknown field "as_of"/],
      ['an array instead of an object', json([{ customer_id: '1' }]), 400, 'INVALID_REQUEST_BODY', /body: .*expected object, received array/],
    ])('answers %s with a 4xx problem naming it', async (_what, init, status, reason, detail) => {
      await expectProblem(path, init as RequestInit, status, reason, detail);
    });
  });

  describe('GET /v1/customers/{id}/features', () => {
    it('answers a repeated query parameter with 400 naming it', async () => {
      await expectProblem('/v1/customers/1/features?service=credit_decision_v1&service=credit_decision_v1&merchant_id=1', {}, 400, 'BAD_REQUEST', /query parameter "service" given more than once/);
    });

    it('answers a feature name as long as a URL admits (15,000 characters) with 400 and a bounded detail', async () => {
      const problem = await expectProblem(`/v1/customers/1/features?features=customer_profile:${'x'.repeat(15_000)}`, {}, 400, 'UNKNOWN_FEATURE', /^Unknown feature "customer_profile:x+…" \(15017 characters\)$/);
      expect(problem.detail.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    });

    it.each([
      [1_000, 414, 'URI_TOO_LONG'],
      [100 * 1024, 431, 'HEADERS_TOO_LARGE'],
    ])('answers a %i-character service name in the catalog path with %i problem+json, bounded', async (length, status, reason) => {
      const response = await fetch(`${base}/v1/catalog/services/${'x'.repeat(length)}`, { signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      expect({ status: response.status, contentType: response.headers.get('content-type') }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
      const problem = problemSchema.parse(JSON.parse(text));
      expect(problem.reason).toBe(reason);
      expect(problem.detail.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      expect(problem.instance.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    });

    it('answers an unknown route with 404', async () => {
      await expectProblem('/v1/customers/1/feature', {}, 404, 'NOT_FOUND', /Cannot GET \/v1\/customers\/1\/feature/);
    });
  });

  it('answers request headers over the limit with 431 problem+json and closes the connection', async () => {
    const request = `GET /v1/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(32 * 1024)}\r\n\r\n`;
    const { answer, closed } = await rawExchange(service.port, request, 5_000);
    expect(closed).toBe(true);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(problemSchema.parse(JSON.parse(body))).toMatchObject({ status: 431, reason: 'HEADERS_TOO_LARGE', detail: expect.stringMatching(/headers are too large/) });
  });

  it('answers a malformed request line with 400 problem+json and closes the connection', async () => {
    const { answer, closed } = await rawExchange(service.port, 'NOT HTTP AT ALL\r\n\r\n', 5_000);
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"reason":"MALFORMED_REQUEST"/);
  });

  describe('one table of bad input, every read endpoint (BAD_READ_CASES in @bnpl/testing, shared with gRPC)', () => {
    const runs = BAD_READ_CASES.flatMap((c) =>
      (Object.keys(RENDER) as Array<keyof typeof RENDER>).map((endpoint) => [`${c.class}: ${c.name} -> ${endpoint}`, c, endpoint, caseOn(c, endpoint)] as const),
    );
    const skipped = runs.filter(([, , , outcome]) => 'skip' in outcome);

    it('writes down why each case an endpoint cannot express is left out', () => {
      expect(skipped.length).toBeLessThan(runs.length);
      for (const [, , , outcome] of skipped) expect((outcome as { skip: string }).skip.length).toBeGreaterThan(10);
    });

    const ran = runs.flatMap(([title, c, endpoint, outcome]) => ('skip' in outcome ? [] : [[title, c, endpoint, outcome as CaseOutcome] as const]));
    it.each(ran)('%s', async (_title, c, endpoint, outcome) => {
      const { path, init } = RENDER[endpoint](c.read);
      const started = Date.now();
      const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
      const text = await response.text();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(c.withinMs ?? 5_000);
      const feast = endpoint === 'POST /get-online-features';
      if ('refused' in outcome) {
        // The caller's fault, never a 5xx; Feast answers a request it cannot process with 422, an unknown name with 404.
        expect({ status: response.status, text: text.slice(0, 300) }).toEqual({ status: feast ? expect.any(Number) : 400, text: expect.any(String) });
        expect(response.status === 400 || (feast && [404, 422].includes(response.status))).toBe(true);
        const message = feast ? feastErrorDetailSchema.parse(JSON.parse(JSON.parse(text) as string)).message : problemSchema.parse(JSON.parse(text)).detail;
        expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
        expect(message).toMatch(outcome.refused);
        return;
      }
      expect({ status: response.status, text: text.slice(0, 300) }).toEqual({ status: 200, text: expect.any(String) });
      if (feast) {
        const body = feastResponseSchema.parse(JSON.parse(text));
        const column = body.results[body.metadata.feature_names.indexOf(outcome.defaultOf.replace(':', '__'))];
        expect(column.statuses).toEqual(c.read.rows.map(() => 'NULL_VALUE'));
      } else {
        const body = featuresResponseSchema.parse(JSON.parse(text));
        const i = body.feature_names.indexOf(outcome.defaultOf);
        expect(body.results.map((r) => r.values[i])).toEqual(c.read.rows.map(() => expect.objectContaining({ status: 'DEFAULT', value: { amount_minor: '0', currency: 'XXX' } })));
      }
    });
  });

  describe('a body over the 1 MiB limit reaches common clients as 413, not a reset', () => {
    const bodyOf = (bytes: number) => JSON.stringify({ features: ['customer_profile:kyc_level'], entities: [{ customer_id: '1' }], padding: 'x'.repeat(bytes) });

    it.each(OVERSIZED_BODY_BYTES.flatMap((bytes) => ['/v1/features/online', '/get-online-features'].map((path) => [bytes, path] as const)))(
      "Node's fetch sending %i bytes to %s gets the 413",
      async (bytes, path) => {
        const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyOf(bytes), signal: AbortSignal.timeout(15_000) });
        expect(response.status).toBe(413);
        expect(await response.text()).toMatch(/too large: at most 1048576 bytes/);
      },
    );

    it.each(OVERSIZED_BODY_BYTES)('a client that sends all %i bytes before reading (as Python http.client does) gets the 413 and an orderly close', async (bytes) => {
      const body = bodyOf(bytes);
      const request = `POST /v1/features/online HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
      const { answer, closed } = await rawExchange(service.port, request, 15_000);
      expect(closed).toBe(true);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toMatch(/"reason":"CONTENT_TOO_LARGE"/);
    });

    it('keeps a client that streams without end from holding the connection: it is cut after the drain bound', async () => {
      const socket = connect(service.port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.on('error', () => undefined);
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      const closed = new Promise((r) => socket.once('close', r));
      socket.write('POST /v1/features/online HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `100000\r\n${'x'.repeat(0x100000)}\r\n`;
      let sent = 0;
      while (!socket.destroyed && sent < 200) {
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
        sent++;
      }
      await closed;
      // 64 MiB is the bound: the server cut the connection long before 200 MiB were sent (no answer then:
      // the client never stopped sending to read one).
      expect(sent).toBeLessThan(200);
      expect(Buffer.concat(chunks).toString()).not.toMatch(/^HTTP\/1\.1 5/);
    });
  });

  // Last (jest runs a file's tests in order): whatever was thrown at it, the service still serves.
  it('keeps serving after all of it', async () => {
    const response = await fetch(`${base}/v1/customers/1/features?features=customer_profile:kyc_level`);
    expect(response.status).toBe(200);
    expect(service.child.exitCode).toBeNull();
  });
});
