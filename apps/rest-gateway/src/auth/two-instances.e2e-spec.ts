import { createTestApiKey, startTestIdentityProvider, startTestStack, waitFor, type StartedService, type TestApiKey, type TestIdentityProvider, type TestStack } from '@bnpl/testing';

/**
 * Two rest-gateway instances on one key table, one Pub/Sub (the emulator) and one identity provider: a key
 * revoked or rotated through one stops working on the other within seconds, without a restart (the cache
 * TTL is set far longer than the test, so only the revocation event can do it); a JWKS rotation is
 * followed by both.
 */
describe('access control across two rest-gateway instances (Pub/Sub emulator, JWKS server)', () => {
  let stack: TestStack;
  let idp: TestIdentityProvider;
  let a: StartedService;
  let b: StartedService;
  let admin: TestApiKey;

  const get = async (instance: StartedService, path: string, headers: Record<string, string>) => {
    const response = await fetch(`${instance.url}${path}`, { headers });
    return { status: response.status, reason: ((await response.json()) as { reason?: string }).reason };
  };
  const post = async (instance: StartedService, path: string, body: unknown) => {
    const response = await fetch(`${instance.url}${path}`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { key: { id: string }; api_key?: string };
  };

  beforeAll(async () => {
    [stack, idp] = await Promise.all([startTestStack({ pubsub: true }), startTestIdentityProvider()]);
    admin = await createTestApiKey(stack.pg.url, { owner: 'sre', scopes: ['admin'] });
    const env = {
      AUTH_MODE: 'on',
      // Far beyond the test: a key can leave the other instance's cache only by the revocation event.
      AUTH_KEY_CACHE_TTL_MS: '600000',
      AUTH_JWT_JWKS_URL: idp.jwksUrl,
      AUTH_JWT_ISSUER: idp.issuer,
      AUTH_JWT_AUDIENCE: idp.audience,
      AUTH_JWKS_COOLDOWN_MS: '1000',
    };
    [a, b] = await Promise.all([stack.startService('rest-gateway', env), stack.startService('rest-gateway', env)]);
  });

  afterAll(async () => {
    await stack?.stop();
    await idp?.stop();
  });

  it('stops a key revoked through one instance on the other within seconds', async () => {
    const created = await post(a, '/v1/keys', { owner: 'risk-engine', scopes: ['catalog:read'] });
    const key = { 'x-api-key': created.api_key ?? '' };
    // Both instances now hold the key in their caches.
    expect((await get(a, '/v1/catalog', key)).status).toBe(200);
    expect((await get(b, '/v1/catalog', key)).status).toBe(200);
    const revokedAt = Date.now();
    await post(a, `/v1/keys/${created.key.id}/revoke`, {});
    expect(await get(a, '/v1/catalog', key)).toEqual({ status: 401, reason: 'API_KEY_REVOKED' });
    await waitFor('instance B to refuse the revoked key', async () => (await get(b, '/v1/catalog', key)).status === 401, 10_000, 50);
    expect(await get(b, '/v1/catalog', key)).toEqual({ status: 401, reason: 'API_KEY_REVOKED' });
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
  });

  it('rotates a key through one instance: the new key works on both, the old one until its grace ends', async () => {
    const created = await post(b, '/v1/keys', { owner: 'batch', scopes: ['catalog:read'] });
    const old = { 'x-api-key': created.api_key ?? '' };
    expect((await get(a, '/v1/catalog', old)).status).toBe(200);
    const rotated = await post(b, `/v1/keys/${created.key.id}/rotate`, { grace_seconds: 2 });
    const fresh = { 'x-api-key': rotated.api_key ?? '' };
    for (const instance of [a, b]) {
      expect((await get(instance, '/v1/catalog', fresh)).status).toBe(200);
      expect((await get(instance, '/v1/catalog', old)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 2_100));
    for (const instance of [a, b]) expect(await get(instance, '/v1/catalog', old)).toEqual({ status: 401, reason: 'API_KEY_REVOKED' });
    for (const instance of [a, b]) expect((await get(instance, '/v1/catalog', fresh)).status).toBe(200);
  });

  it('follows a JWKS rotation on both instances: new keys accepted, withdrawn ones refused', async () => {
    const before = await idp.sign({ scope: 'catalog:read' });
    for (const instance of [a, b]) expect((await get(instance, '/v1/catalog', { authorization: `Bearer ${before}` })).status).toBe(200);
    const oldKid = idp.currentKid;
    await idp.rotate({ dropOld: true });
    // Past the refetch cooldown of each instance.
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await idp.sign({ scope: 'catalog:read' });
    for (const instance of [a, b]) expect((await get(instance, '/v1/catalog', { authorization: `Bearer ${after}` })).status).toBe(200);
    const withdrawn = await idp.sign({ scope: 'catalog:read', kid: oldKid });
    for (const instance of [a, b]) expect(await get(instance, '/v1/catalog', { authorization: `Bearer ${withdrawn}` })).toEqual({ status: 401, reason: 'TOKEN_UNKNOWN_KEY' });
  });
});
