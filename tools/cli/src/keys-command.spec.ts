import { createServer, type Server } from 'node:http';
import { keyTable, parseExpiry, type KeyView } from './keys-command';
import { runCli } from './program';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

const view = (id: string, overrides: Partial<KeyView> = {}): KeyView => ({
  id,
  owner: 'risk-engine',
  description: '',
  scopes: ['features:read'],
  rate_limit_per_second: null,
  state: 'active',
  created_at: '2026-12-01T00:00:00.000Z',
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
  replaced_by: null,
  ...overrides,
});

describe('fs keys against a stub API', () => {
  let server: Server;
  let api: string;
  const requests: Array<{ method: string; url: string; body: string; key?: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body, key: req.headers['x-api-key'] as string | undefined });
        res.setHeader('content-type', 'application/json');
        if (!req.headers['x-api-key']) {
          res.statusCode = 401;
          return res.end(JSON.stringify({ status: 401, detail: 'Authentication required' }));
        }
        if (req.url === '/v1/keys' && req.method === 'POST') return res.end(JSON.stringify({ key: view('0123456789ab'), api_key: 'fsk_0123456789ab_secret' }));
        if (req.url?.startsWith('/v1/keys?')) return res.end(JSON.stringify({ keys: [view('0123456789ab'), view('ba9876543210', { state: 'revoked', rate_limit_per_second: 50 })] }));
        if (req.url === '/v1/keys/0123456789ab/revoke') return res.end(JSON.stringify({ key: view('0123456789ab', { state: 'revoked', revoked_at: '2026-12-01T10:00:00.000Z' }) }));
        if (req.url === '/v1/keys/0123456789ab/rotate') return res.end(JSON.stringify({ key: view('cccccccccccc'), api_key: 'fsk_cccccccccccc_new', previous: view('0123456789ab', { revoked_at: '2026-12-01T11:00:00.000Z' }) }));
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const run = async (args: string[], defaultApiKey?: string) => {
    const out = sink();
    const err = sink();
    const code = await runCli(['--api', api, ...args], { out: out.stream, err: err.stream, defaultApi: 'x', ...(defaultApiKey ? { defaultApiKey } : {}) });
    return { code, out: out.text(), err: err.text() };
  };

  it('creates a key with the admin key from BNPL_API_KEY, and prints the new key once, on its own line', async () => {
    const result = await run(['keys', 'create', '--owner', 'risk-engine', '--scopes', 'features:read, catalog:read', '--rate-limit', '500', '--expires', '2027-01-01T00:00:00Z'], 'fsk_admin');
    expect(result.code).toBe(0);
    const request = requests.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/v1/keys', key: 'fsk_admin' });
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ owner: 'risk-engine', scopes: ['features:read', 'catalog:read'], rate_limit_per_second: 500, expires_at: '2027-01-01T00:00:00Z' });
    expect(result.out.split('\n')).toContain('fsk_0123456789ab_secret');
  });

  it('prefers --api-key to the variable', async () => {
    await run(['--api-key', 'fsk_flag', 'keys', 'revoke', '0123456789ab'], 'fsk_env');
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: '/v1/keys/0123456789ab/revoke', key: 'fsk_flag' });
  });

  it('lists, revokes and rotates', async () => {
    const list = await run(['keys', 'list', '--all', '--owner', 'risk-engine'], 'fsk_admin');
    expect(requests.at(-1)?.url).toBe('/v1/keys?limit=100&owner=risk-engine&include_inactive=true');
    expect(list.out).toMatch(/^ID\s+OWNER\s+STATE/);
    expect(list.out).toContain('ba9876543210  risk-engine  revoked');
    expect((await run(['keys', 'revoke', '0123456789ab'], 'fsk_admin')).out).toBe('revoked key 0123456789ab (risk-engine) at 2026-12-01T10:00:00.000Z\n');
    const rotated = await run(['keys', 'rotate', '0123456789ab', '--grace', '3600'], 'fsk_admin');
    expect(JSON.parse(requests.at(-1)?.body ?? '{}')).toEqual({ grace_seconds: 3600 });
    expect(rotated.out).toContain('key 0123456789ab replaced by cccccccccccc; the old key stops working at 2026-12-01T11:00:00.000Z');
    expect(rotated.out.split('\n')).toContain('fsk_cccccccccccc_new');
  });

  it('says how to give a key when the API answers 401 without one, and exits 2', async () => {
    const result = await run(['keys', 'list']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('HTTP 401: Authentication required (give the key with BNPL_API_KEY or --api-key)');
  });

  it('refuses bad options before calling the API', async () => {
    const calls = requests.length;
    expect((await run(['keys', 'create', '--owner', 'x', '--scopes', 'admin', '--expires', 'soon'], 'k')).code).toBe(2);
    expect((await run(['keys', 'rotate', 'abc', '--grace', '-1'], 'k')).code).toBe(2);
    expect(requests.length).toBe(calls);
  });
});

describe('keys helpers', () => {
  it('parse expiries as instants or durations from now', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseExpiry('90d', now)).toBe('2026-04-01T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2026-01-01T12:00:00.000Z');
    expect(parseExpiry('2027-01-01T00:00:00Z', now)).toBe('2027-01-01T00:00:00Z');
    expect(() => parseExpiry('tomorrow', now)).toThrow(/instant/);
  });

  it('print a table whose columns line up', () => {
    const lines = keyTable([view('0123456789ab'), view('ba9876543210', { owner: 'x' })]);
    expect(lines).toHaveLength(3);
    expect(lines[1].indexOf('active')).toBe(lines[2].indexOf('active'));
  });
});
