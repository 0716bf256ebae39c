import { createTestApiKey, startTestStack, type StartedService, type TestApiKey, type TestStack } from '@bnpl/testing';
import { runCli } from './program';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

/** `fs keys` against a real rest-gateway (access control on) and its key table. */
describe('fs keys end to end (real rest-gateway, PostgreSQL, Redis)', () => {
  let stack: TestStack;
  let gateway: StartedService;
  let admin: TestApiKey;

  const fs = async (...args: string[]) => {
    const out = sink();
    const err = sink();
    const code = await runCli(['--api', gateway.url, ...args], { out: out.stream, err: err.stream, defaultApi: 'x', defaultApiKey: admin.key });
    return { code, out: out.text(), err: err.text() };
  };
  const catalogWith = async (key: string) => (await fetch(`${gateway.url}/v1/catalog`, { headers: { 'x-api-key': key } })).status;

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await createTestApiKey(stack.pg.url, { owner: 'sre', scopes: ['admin'] });
    gateway = await stack.startService('rest-gateway', { AUTH_MODE: 'on' });
  });
  afterAll(() => stack?.stop());

  it('creates a key that works at once, lists it, rotates it and revokes the new one', async () => {
    const created = await fs('keys', 'create', '--owner', 'catalog-reader', '--scopes', 'catalog:read', '--rate-limit', '50', '--expires', '30d');
    expect(created.code).toBe(0);
    const key = created.out.trim().split('\n').at(-1) ?? '';
    expect(key).toMatch(/^fsk_[0-9a-f]{12}_/);
    const id = key.slice(4, 16);
    expect(await catalogWith(key)).toBe(200);

    const listed = await fs('keys', 'list', '--owner', 'catalog-reader');
    expect(listed.out).toContain(`${id}  catalog-reader  active  catalog:read  50/s`);
    expect(listed.out).not.toContain(key.slice(17));

    const rotated = await fs('keys', 'rotate', id);
    const fresh = rotated.out.trim().split('\n').at(-1) ?? '';
    expect(await catalogWith(fresh)).toBe(200);
    expect(await catalogWith(key)).toBe(401);

    expect((await fs('keys', 'revoke', fresh.slice(4, 16))).code).toBe(0);
    expect(await catalogWith(fresh)).toBe(401);
    expect((await fs('keys', 'list', '--owner', 'catalog-reader')).out.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses to run key commands with a key that is not an admin key', async () => {
    const reader = await createTestApiKey(stack.pg.url, { scopes: ['catalog:read'] });
    const out = sink();
    const err = sink();
    const code = await runCli(['--api', gateway.url, '--api-key', reader.key, 'keys', 'list'], { out: out.stream, err: err.stream, defaultApi: 'x' });
    expect(code).toBe(2);
    expect(err.text()).toContain('HTTP 403: This call needs the scope admin');
  });
});
