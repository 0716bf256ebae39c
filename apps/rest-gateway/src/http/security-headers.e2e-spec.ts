import { createTestApiKey, runSql, startTestStack, type StartedService, type TestApiKey, type TestStack } from '@bnpl/testing';

/** The CSP every answer carries (SECURITY_HEADERS in @bnpl/platform), as directives. */
const directives = (csp: string | null): Map<string, string[]> =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );

/** What every answer of the service must carry, whatever its status or route. */
function expectSecurityHeaders(what: string, headers: Headers): void {
  const got = {
    what,
    nosniff: headers.get('x-content-type-options'),
    frame: headers.get('x-frame-options'),
    referrer: headers.get('referrer-policy'),
    hsts: headers.get('strict-transport-security'),
    poweredBy: headers.get('x-powered-by'),
    corp: headers.get('cross-origin-resource-policy'),
  };
  expect(got).toEqual({
    what,
    nosniff: 'nosniff',
    frame: 'DENY',
    referrer: 'no-referrer',
    hsts: expect.stringMatching(/^max-age=31536000\b/),
    poweredBy: null,
    corp: 'same-origin',
  });
  const csp = directives(headers.get('content-security-policy'));
  expect({ what, frameAncestors: csp.get('frame-ancestors'), defaultSrc: csp.get('default-src'), objectSrc: csp.get('object-src'), scriptSrc: csp.get('script-src') }).toEqual({
    what,
    frameAncestors: ["'none'"],
    defaultSrc: ["'self'"],
    objectSrc: ["'none'"],
    // No inline script anywhere: Swagger UI's scripts are files of this server.
    scriptSrc: ["'self'"],
  });
  // Plain HTTP here (local stack, tests): upgrading the page's own assets to https:// would break /docs.
  expect({ what, upgrade: csp.has('upgrade-insecure-requests') }).toEqual({ what, upgrade: false });
}

describe('rest-gateway security headers (@fastify/helmet; real PostgreSQL and Redis, access control on)', () => {
  let stack: TestStack;
  let service: StartedService;
  let reader: TestApiKey;

  beforeAll(async () => {
    stack = await startTestStack();
    await runSql(
      stack.pg.url,
      `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor) VALUES (1, 'a@example.com', 'A', 'DE', 'EUR', 2, 100000)`,
    );
    reader = await createTestApiKey(stack.pg.url, { scopes: ['features:read', 'catalog:read'] });
    service = await stack.startService('rest-gateway', { AUTH_MODE: 'on' });
  });

  afterAll(() => stack?.stop());

  it('on a feature read', async () => {
    const response = await fetch(`${service.url}/v1/customers/1/features?features=customer_profile:kyc_level`, { headers: reader.headers });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: Array<{ values: Array<{ value: unknown }> }> }).results[0].values[0].value).toBe(2);
    expectSecurityHeaders('feature read', response.headers);
  });

  // Not covered: answers written on the socket before there is a request (a malformed request line,
  // oversized headers); see the README.
  it.each([
    ['no credential (401)', '/v1/customers/1/features?features=customer_profile:kyc_level', {}, 401],
    ['a malformed customer id (400)', '/v1/customers/abc/features?features=customer_profile:kyc_level', 'reader', 400],
    ['an unknown route (404)', '/v1/nope', 'reader', 404],
    ["a path parameter over the router's limit (its own error, before any hook)", `/v1/catalog/services/${'x'.repeat(300)}`, 'reader', 414],
  ] as const)('on an error answer: %s', async (what, path, credential, status) => {
    const response = await fetch(`${service.url}${path}`, { headers: credential === 'reader' ? reader.headers : {} });
    await response.text();
    expect(response.status).toBe(status);
    expectSecurityHeaders(what, response.headers);
  });

  it('on the health and metrics routes', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      const response = await fetch(`${service.url}${path}`);
      await response.text();
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expectSecurityHeaders(path, response.headers);
    }
  });

  it('on Swagger UI at /docs, whose page the policy still lets work: its scripts and styles are this server\'s files, its one inline <style> allowed', async () => {
    const page = await fetch(`${service.url}/docs`);
    expect(page.status).toBe(200);
    expectSecurityHeaders('/docs', page.headers);
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    const html = await page.text();
    // Every script is a file (no inline script, which script-src 'self' would block), served from here.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/\bsrc="(?!https?:)[^"]+"/);
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    for (const src of assets) {
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const asset = await fetch(new URL(src, `${service.url}/docs`));
      await asset.arrayBuffer();
      expect({ src, status: asset.status }).toEqual({ src, status: 200 });
      expectSecurityHeaders(src, asset.headers);
    }
    const json = await fetch(`${service.url}/docs/json`);
    expect(json.status).toBe(200);
    expect(((await json.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    expectSecurityHeaders('/docs/json', json.headers);
  });
});
