import { IdentityProviderUnavailableError, UnauthenticatedError, type Principal } from '@bnpl/access-control';
import { startTestIdentityProvider, type TestIdentityProvider } from '@bnpl/testing';
import { JoseTokenVerifier, type JoseTokenVerifierOptions } from './jose-token-verifier';

const refusal = async (work: () => unknown) => {
  try {
    await work();
  } catch (error) {
    return { error, reason: (error as UnauthenticatedError).reason, message: (error as Error).message };
  }
  throw new Error('verified');
};

describe('JoseTokenVerifier against a JWKS server with rotating keys', () => {
  let idp: TestIdentityProvider;
  let verifier: JoseTokenVerifier;
  const make = (options: Partial<JoseTokenVerifierOptions> = {}) =>
    new JoseTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, jwks: { cooldownMs: 0 }, ...options });

  beforeAll(async () => {
    idp = await startTestIdentityProvider();
    verifier = make();
  });
  afterAll(() => idp?.stop());

  it('verifies a token and takes the principal and scopes from its claims', async () => {
    const principal = await verifier.verify(await idp.sign({ subject: 'alice@example.com', scope: 'features:read jobs:read unknown:scope' }));
    expect(principal).toEqual<Principal>({ id: 'jwt:alice@example.com', name: 'alice@example.com', kind: 'jwt', scopes: new Set(['features:read', 'jobs:read']) });
  });

  it('reads scopes from a list claim, and never grants more than allowed (admin by default)', async () => {
    const scp = make({ scopesClaim: 'scp' });
    const token = await idp.sign({ scope: null, extraClaims: { scp: ['catalog:read', 'admin'] } });
    expect((await scp.verify(token)).scopes).toEqual(new Set(['catalog:read']));
    const admins = make({ scopesClaim: 'scp', allowedScopes: ['admin', 'catalog:read'] });
    expect((await admins.verify(token)).scopes).toEqual(new Set(['catalog:read', 'admin']));
  });

  it('answers a token it verified before from memory', async () => {
    const token = await idp.sign();
    await verifier.verify(token);
    expect(verifier.verify(token)).not.toBeInstanceOf(Promise);
  });

  it.each([
    ['expired', () => idp.sign({ expiresIn: -120 }), 'TOKEN_EXPIRED'],
    ['not yet valid', () => idp.sign({ notBefore: 600 }), 'TOKEN_NOT_YET_VALID'],
    ['for another audience', () => idp.sign({ audience: 'someone-else' }), 'TOKEN_WRONG_AUDIENCE'],
    ['from another issuer', () => idp.sign({ issuer: 'https://evil.example' }), 'TOKEN_WRONG_ISSUER'],
    ['signed with an unknown key id', () => idp.sign({ kid: 'k-unknown' }), 'TOKEN_UNKNOWN_KEY'],
    ['alg: none', async () => idp.unsigned(), 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    ['HS256 signed with the public key', async () => idp.hmacWithPublicKey(), 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    ['malformed', async () => 'not.a.jwt', 'MALFORMED_TOKEN'],
    ['garbage', async () => 'abc', 'MALFORMED_TOKEN'],
    ['tampered', async () => (await idp.sign()).replace(/\.([^.]+)\./, (_m, p: string) => `.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'admin' })).toString('base64url')}.`), 'TOKEN_INVALID_SIGNATURE'],
    ['without a subject', () => idp.sign({ subject: '' }), 'TOKEN_INVALID_CLAIMS'],
  ])('refuses a token %s, naming the problem', async (_what, token, reason) => {
    const problem = await refusal(async () => verifier.verify(await token()));
    expect(problem.error).toBeInstanceOf(UnauthenticatedError);
    expect(problem.reason).toBe(reason);
    expect(problem.message.length).toBeLessThanOrEqual(300);
  });

  it('tolerates clock skew within the configured leeway', async () => {
    expect(await verifier.verify(await idp.sign({ expiresIn: -10 }))).toMatchObject({ kind: 'jwt' });
    const strict = make({ clockToleranceSeconds: 0 });
    expect((await refusal(async () => strict.verify(await idp.sign({ expiresIn: -10 })))).reason).toBe('TOKEN_EXPIRED');
  });

  it('follows key rotation: a new kid is fetched, a withdrawn key is refused for new tokens', async () => {
    const rotating = make();
    const before = await idp.sign();
    await rotating.verify(before);
    const oldKid = idp.currentKid;
    await idp.rotate({ dropOld: true });
    const fetches = idp.fetches;
    expect(await rotating.verify(await idp.sign())).toMatchObject({ kind: 'jwt' });
    expect(idp.fetches).toBe(fetches + 1);
    // A claim of its own: signed within the same second as `before`, the same claims under the same key give the
    // very same token (RS256 is deterministic), which the verifier answers from memory.
    expect((await refusal(async () => rotating.verify(await idp.sign({ kid: oldKid, extraClaims: { jti: 'after-rotation' } })))).reason).toBe('TOKEN_UNKNOWN_KEY');
  });

  it('verifies ES256 tokens too', async () => {
    const es = await startTestIdentityProvider('ES256');
    try {
      const v = new JoseTokenVerifier({ jwksUrl: es.jwksUrl, issuer: es.issuer, audience: es.audience });
      expect(await v.verify(await es.sign())).toMatchObject({ kind: 'jwt' });
      const rsOnly = new JoseTokenVerifier({ jwksUrl: es.jwksUrl, issuer: es.issuer, audience: es.audience, algorithms: ['RS256'] });
      expect((await refusal(async () => rsOnly.verify(await es.sign()))).reason).toBe('TOKEN_ALGORITHM_NOT_ALLOWED');
    } finally {
      await es.stop();
    }
  });

  it('verifies against a static public key', async () => {
    const v = new JoseTokenVerifier({ publicKeyPem: idp.publicKeyPem, issuer: idp.issuer, audience: idp.audience });
    expect(await v.verify(await idp.sign())).toMatchObject({ kind: 'jwt' });
    expect((await refusal(async () => v.verify(idp.hmacWithPublicKey()))).reason).toBe('TOKEN_ALGORITHM_NOT_ALLOWED');
  });

  it('answers 503 (UNAVAILABLE) when the JWKS cannot be fetched, not 401', async () => {
    const dead = new JoseTokenVerifier({ jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json', issuer: idp.issuer, audience: idp.audience, jwks: { timeoutMs: 500 } });
    expect((await refusal(async () => dead.verify(await idp.sign()))).error).toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('refuses to be built with both or neither key source', () => {
    expect(() => new JoseTokenVerifier({ issuer: 'i', audience: 'a' })).toThrow(/exactly one/);
  });
});
