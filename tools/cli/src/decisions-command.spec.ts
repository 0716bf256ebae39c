import { createServer, type Server } from 'node:http';
import { runCli } from './program';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

const DECISION = {
  decision_id: 'd-1',
  served_at: '2026-12-01T10:00:00.000Z',
  edge: 'grpc',
  principal: { id: 'key:0123456789ab', kind: 'api-key' },
  feature_service: 'credit_decision_v1',
  request_context: { requested_amount: { amount_minor: '12000', currency: 'EUR' } },
  features: [
    { name: 'customer_exposure:outstanding_balance', description: 'Sum of instalments still owed.', definition_changed: false },
    { name: 'customer_profile:kyc_level', description: 'KYC verification level.', definition_changed: true },
  ],
  results: [{ entity_row: { customer_id: '42' }, values: [{ value: { amount_minor: '50000', currency: 'EUR' }, status: 'PRESENT', event_time: '2026-12-01T09:59:00.000Z', origin: 'l1' }, { value: 2, status: 'STALE', event_time: '2026-11-30T00:00:00.000Z', origin: 'online-store' }] }],
  outcome: { decision: 'declined', reason_codes: ['HIGH_UTILIZATION'], repayment: null },
  record: { instance_id: 'grpc-serving:20261201T000000Z:0123456789ab', sequence: 7, hash: 'ab'.repeat(32), intact: true },
  repeats: [],
};

describe('fs decisions', () => {
  let server: Server;
  let api: string;
  const requests: Array<{ method: string; url: string; body: string }> = [];
  let verifyComplete = true;
  let polls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.setHeader('content-type', 'application/json');
        const send = (status: number, value: unknown) => ((res.statusCode = status), res.end(JSON.stringify(value)));
        if (req.url === '/v1/decisions/d-1') return send(200, DECISION);
        if (req.url === '/v1/decisions/unknown') {
          res.setHeader('content-type', 'application/problem+json');
          return send(404, { status: 404, reason: 'DECISION_NOT_FOUND', detail: 'No decision "unknown" is recorded' });
        }
        if (req.url === '/v1/decisions/d-1/replay') {
          return send(200, { decision_id: 'd-1', verdict: 'differs', counts: { equal: 1, differs: 1, not_replayable: 0 }, changed_definitions: ['customer_profile'], results: [{ entity_row: { customer_id: '42' }, features: [{ feature: 'customer_profile:kyc_level', verdict: 'differs', served: { value: 2, status: 'STALE', event_time: null }, replayed: { value: 3, status: 'PRESENT', event_time: null } }] }] });
        }
        if (req.url === '/v1/decision-days/2026-12-01/verification') {
          return send(200, { records: 10, complete: verifyComplete, untouched: true, missing: verifyComplete ? 0 : 2, dropped: 0, unpublished: 0, edited: 0, broken_links: 0, gaps: verifyComplete ? [] : [{ instance_id: 'i', from: 3, to: 4, kind: 'missing' }], problems: [], instances: [{ instance_id: 'i', records: 10, closed: true }], notes: [] });
        }
        if (req.url === '/v1/decision-days/2026-12-01/replays') return send(202, { run: { id: 'r1', state: 'running', decisions_done: 0, error: null, report: null } });
        if (req.url === '/v1/decision-replays/r1') {
          return send(200, { run: { id: 'r1', state: ++polls < 2 ? 'running' : 'succeeded', decisions_done: 10, error: null, report: { decisions: 10, verdicts: { equal: 10 }, features: [{ feature: 'customer_profile:kyc_level', equal: 10, differs: 0, not_replayable: 0, skew_rate: 0 }], decisions_per_second: 500 } } });
        }
        if (req.url === '/v1/decisions/d-1/outcome') return send(200, { decision_id: 'd-1', change: 'created', outcome: JSON.parse(body) });
        send(500, {});
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const run = async (...argv: string[]) => {
    const out = sink();
    const err = sink();
    const code = await runCli(['--api', api, ...argv], { out: out.stream, err: err.stream, defaultApi: api });
    return { code, out: out.text(), err: err.text() };
  };

  it('shows a decision feature by feature, with values, statuses, origins, descriptions and the outcome', async () => {
    const { code, out } = await run('decisions', 'show', 'd-1');
    expect(code).toBe(0);
    expect(out).toContain('served at 2026-12-01T10:00:00.000Z over grpc to key:0123456789ab (api-key)');
    expect(out).toMatch(/customer_exposure:outstanding_balance\s+50000 EUR \(minor units\)\s+PRESENT\s+2026-12-01T09:59:00.000Z\s+l1/);
    expect(out).toContain('KYC verification level. (its definition changed since)');
    expect(out).toContain('outcome: declined (HIGH_UTILIZATION)');
    expect(JSON.parse((await run('decisions', 'show', 'd-1', '--json')).out)).toEqual(DECISION);
  });

  it('says what the API refused, exit code 2', async () => {
    const { code, err } = await run('decisions', 'show', 'unknown');
    expect(code).toBe(2);
    expect(err).toContain('No decision "unknown" is recorded');
  });

  it('replays a decision (exit 1 when a value differs) and a whole day, following the run', async () => {
    const one = await run('decisions', 'replay', 'd-1');
    expect(one.code).toBe(1);
    expect(one.out).toContain('customer_profile:kyc_level: served 2 STALE, history 3 PRESENT');
    const day = await run('decisions', 'replay', '--day', '2026-12-01');
    expect(day.code).toBe(0);
    expect(day.out).toMatch(/10 decisions replayed \(500\/s\)/);
    expect((await run('decisions', 'replay')).code).toBe(2);
  });

  it('verifies a day: exit 0 complete and untouched, 1 otherwise, naming each gap', async () => {
    expect(await run('decisions', 'verify', '--day', '2026-12-01')).toMatchObject({ code: 0, out: expect.stringContaining('10 records from 1 instance(s): complete, untouched') });
    verifyComplete = false;
    const failed = await run('decisions', 'verify', '--day', '2026-12-01');
    expect(failed).toMatchObject({ code: 1, out: expect.stringContaining('gap i #3-4: missing') });
    expect((await run('decisions', 'verify', '--day', 'yesterday')).code).toBe(2);
  });

  it('posts an outcome', async () => {
    const { code } = await run('decisions', 'outcome', 'd-1', '--decision', 'declined', '--reason', 'HIGH_UTILIZATION', 'LATE');
    expect(code).toBe(0);
    expect(JSON.parse(requests.find((r) => r.url === '/v1/decisions/d-1/outcome')?.body ?? '{}')).toEqual({ decision: 'declined', reason_codes: ['HIGH_UTILIZATION', 'LATE'] });
  });
});
