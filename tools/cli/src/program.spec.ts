import { createServer, type Server } from 'node:http';
import { toJobBody } from './job-body';
import { runCli } from './program';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('toJobBody', () => {
  it('maps options to the API body', () => {
    expect(toJobBody('materialize', { views: 'customer_profile, customer_exposure', incremental: true, shardSize: '1000' })).toEqual({
      kind: 'materialize',
      views: ['customer_profile', 'customer_exposure'],
      incremental: true,
      shard_size: 1000,
    });
    expect(toJobBody('backfill', { from: '2025-01-01', to: '2025-01-31', service: 'credit_decision_v1' })).toEqual({ kind: 'backfill', from: '2025-01-01', to: '2025-01-31', feature_service: 'credit_decision_v1' });
    expect(() => toJobBody('materialize', { shardSize: 'lots' })).toThrow(/--shard-size/);
  });
});

describe('runCli against a stub API', () => {
  let server: Server;
  let api: string;
  const requests: Array<{ method: string; url: string; body: string }> = [];
  let polls = 0;
  const job = (state: string, done: number) => ({ id: 'j1', kind: 'materialize', state, views: [], incremental: false, from: null, to: null, shards_total: 2, shards_done: done, rows_done: done * 10, error: null, created_at: 'now', finished_at: null });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/v1/jobs') {
          if (body.includes('nope')) {
            res.statusCode = 400;
            res.setHeader('content-type', 'application/problem+json');
            return res.end(JSON.stringify({ status: 400, detail: 'Unknown feature view "nope"' }));
          }
          res.statusCode = 202;
          return res.end(JSON.stringify({ job: job('pending', 0) }));
        }
        if (req.url === '/v1/jobs/j1') return res.end(JSON.stringify({ job: ++polls < 3 ? job('running', polls - 1) : job('succeeded', 2), shards: [] }));
        res.statusCode = 404;
        res.end(JSON.stringify({ detail: 'no such route' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('submits a materialization, follows it to success and exits 0', async () => {
    const out = sink();
    const code = await runCli(['--api', api, 'materialize', '--views', 'customer_profile'], { out: out.stream, err: sink().stream, defaultApi: 'x' });
    expect(code).toBe(0);
    expect(JSON.parse(requests.find((r) => r.method === 'POST')?.body ?? '{}')).toEqual({ kind: 'materialize', views: ['customer_profile'] });
    expect(out.text()).toMatch(/job j1 succeeded: 2\/2 shards, 20 rows/);
  });

  it('prints the API problem and exits 2 when the request is refused', async () => {
    const err = sink();
    expect(await runCli(['--api', api, 'materialize', '--views', 'nope'], { out: sink().stream, err: err.stream, defaultApi: 'x' })).toBe(2);
    expect(err.text()).toContain('Unknown feature view "nope"');
  });

  it('exits 2 with usage on bad arguments, and says when the API is unreachable', async () => {
    const err = sink();
    expect(await runCli(['backfill', '--from', '2025-01-01'], { out: sink().stream, err: err.stream, defaultApi: api })).toBe(2);
    expect(err.text()).toMatch(/--to/);
    const err2 = sink();
    expect(await runCli(['--api', 'http://127.0.0.1:1', 'jobs', 'list'], { out: sink().stream, err: err2.stream, defaultApi: 'x' })).toBe(2);
    expect(err2.text()).toMatch(/cannot reach the feature store API/);
  });
});
