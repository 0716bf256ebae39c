import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { JWK, KeyLike } from 'jose';

export type TestTokenAlgorithm = 'RS256' | 'ES256';

export interface TestTokenOptions {
  readonly subject?: string;
  /** A space-separated scope string (the `scope` claim); `null` leaves the claim out. */
  readonly scope?: string | null;
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  readonly expiresIn?: number;
  /** `nbf` in seconds from now. */
  readonly notBefore?: number;
  /** Sign with this key id (default: the current key); an id not published gives an unknown-kid token. */
  readonly kid?: string;
  readonly extraClaims?: Record<string, unknown>;
}

interface SigningKey {
  readonly kid: string;
  readonly alg: TestTokenAlgorithm;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

/**
 * An identity provider for tests: serves a JWKS on a free port of 127.0.0.1 (`/.well-known/jwks.json`),
 * signs tokens with its current key, rotates keys (the old one published or withdrawn), and forges the
 * tokens an attacker would try (`alg: none`, HS256 signed with the public key). Counts JWKS fetches.
 */
export class TestIdentityProvider {
  readonly audience = 'bnpl-feature-store';
  fetches = 0;
  /** Published in the JWKS. */
  private keys: SigningKey[] = [];
  /** Every key ever made, withdrawn ones too: a token signed with a withdrawn key is what a leaked key gives. */
  private readonly everyKey: SigningKey[] = [];
  private current!: SigningKey;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(alg: TestTokenAlgorithm = 'RS256'): Promise<TestIdentityProvider> {
    const holder: { provider?: TestIdentityProvider } = {};
    const server = createServer((req, res) => {
      const provider = holder.provider;
      if (req.url !== '/.well-known/jwks.json' || !provider) {
        res.statusCode = 404;
        return res.end();
      }
      provider.fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: provider.keys.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const provider = new TestIdentityProvider(server, `http://127.0.0.1:${port}`);
    await provider.rotate({ alg });
    holder.provider = provider;
    return provider;
  }

  get jwksUrl(): string {
    return `${this.issuer}/.well-known/jwks.json`;
  }

  /** The key id tokens are signed with now. */
  get currentKid(): string {
    return this.current.kid;
  }

  /** The current key's public key as PEM (SPKI), for a service configured with a static key. */
  get publicKeyPem(): string {
    return this.current.publicPem;
  }

  /** Publishes a new key and signs with it from now on; `dropOld` withdraws every earlier key. Resolves with its kid. */
  async rotate(options: { alg?: TestTokenAlgorithm; dropOld?: boolean } = {}): Promise<string> {
    const jose = await import('jose');
    const alg = options.alg ?? this.current?.alg ?? 'RS256';
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    const kid = `k-${randomBytes(4).toString('hex')}`;
    const key: SigningKey = { kid, alg, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await jose.exportSPKI(publicKey) };
    this.keys = options.dropOld ? [key] : [...this.keys, key];
    this.everyKey.push(key);
    this.current = key;
    return kid;
  }

  /** A token signed with the current key (or `options.kid`'s, withdrawn or not; a made-up kid gives an unknown-key token signed with the current key). */
  async sign(options: TestTokenOptions = {}): Promise<string> {
    const jose = await import('jose');
    const key = options.kid === undefined ? this.current : this.everyKey.find((k) => k.kid === options.kid);
    const signing = key ?? this.current;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { ...(options.scope === null ? {} : { scope: options.scope ?? 'features:read catalog:read' }), ...options.extraClaims };
    const jwt = new jose.SignJWT(claims)
      .setProtectedHeader({ alg: signing.alg, kid: options.kid ?? signing.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setSubject(options.subject ?? 'web-app-user')
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(signing.privateKey);
  }

  /** `alg: none`: no signature at all. */
  unsigned(options: TestTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, aud: this.audience, sub: options.subject ?? 'attacker', scope: options.scope ?? 'features:read admin', iat: now, exp: now + 300 };
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  }

  /** HS256 with the provider's public key (PEM) as the HMAC secret: the classic algorithm confusion. */
  hmacWithPublicKey(options: TestTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, aud: this.audience, sub: options.subject ?? 'attacker', scope: options.scope ?? 'features:read admin', iat: now, exp: now + 300 };
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: this.current.kid })}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', this.current.publicPem).update(input).digest('base64url')}`;
  }

  stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Clients keep their connections to a JWKS endpoint open.
    this.server.closeAllConnections();
    return closed;
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** See TestIdentityProvider. */
export function startTestIdentityProvider(alg: TestTokenAlgorithm = 'RS256'): Promise<TestIdentityProvider> {
  return TestIdentityProvider.start(alg);
}
