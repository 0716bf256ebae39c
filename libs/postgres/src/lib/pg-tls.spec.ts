import { pgConnection, resolvePgTls } from './pg-tls';

const URL_BASE = 'postgres://svc:s3cret@db.internal:5432/bnpl';

describe('resolvePgTls and pgConnection (libpq sslmode semantics)', () => {
  it('is plain text by default and with sslmode=disable', () => {
    expect(resolvePgTls(URL_BASE).tls).toEqual({ mode: 'disable' });
    expect(pgConnection(`${URL_BASE}?sslmode=disable`, { mode: 'disable' }).ssl).toBe(false);
  });

  it('encrypts without checking the certificate for no-verify and require without a CA', () => {
    expect(pgConnection(URL_BASE, { mode: 'no-verify' }).ssl).toEqual({ rejectUnauthorized: false });
    expect(pgConnection(URL_BASE, { mode: 'require' }).ssl).toEqual({ rejectUnauthorized: false });
  });

  it('checks the chain but not the name for verify-ca, and require with a CA', () => {
    const ca = Buffer.from('ca');
    for (const mode of ['verify-ca', 'require'] as const) {
      const ssl = pgConnection(URL_BASE, { mode, ca }).ssl as { ca: Buffer; rejectUnauthorized?: boolean; checkServerIdentity: () => unknown };
      expect(ssl.ca).toBe(ca);
      expect(ssl.rejectUnauthorized).toBeUndefined();
      expect(ssl.checkServerIdentity()).toBeUndefined();
    }
  });

  it('checks chain and name for verify-full, refusing a mismatch without naming the host', () => {
    const ssl = pgConnection(URL_BASE, { mode: 'verify-full' }).ssl as { rejectUnauthorized?: boolean; checkServerIdentity: (host: string, cert: unknown) => Error | undefined };
    expect(ssl.rejectUnauthorized).toBeUndefined();
    const refused = ssl.checkServerIdentity('db.internal', { subject: { CN: 'elsewhere.test' }, subjectaltname: 'DNS:elsewhere.test' });
    expect(refused?.message).toBe('the database server certificate does not name the host of DATABASE_URL (sslmode verify-full)');
    expect(ssl.checkServerIdentity('db.internal', { subject: { CN: 'db.internal' }, subjectaltname: 'DNS:db.internal' })).toBeUndefined();
  });

  it('hands node-postgres the URL without its TLS parameters, which it would otherwise read with meanings of its own', () => {
    const { url } = pgConnection(`${URL_BASE}?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x`, { mode: 'verify-full' });
    expect(url).toBe(`${URL_BASE}?application_name=x`);
  });

  it('takes the mode from the settings when the URL has none', () => {
    expect(resolvePgTls(URL_BASE, { mode: 'require' }).tls).toEqual({ mode: 'require' });
    expect(resolvePgTls(`${URL_BASE}?sslmode=no-verify`).tls).toEqual({ mode: 'no-verify' });
  });

  it('refuses allow and prefer, a contradiction between URL and settings, two CAs, and client certificates, naming no password', () => {
    const problems = (url: string, settings = {}) => resolvePgTls(url, settings).problems.map((p) => `${p.variable}: ${p.message}`);
    expect(problems(`${URL_BASE}?sslmode=prefer`)).toEqual(['DATABASE_URL: sslmode must be one of: disable, no-verify, require, verify-ca, verify-full (allow and prefer would fall back to plain text)']);
    expect(problems(`${URL_BASE}?sslmode=allow`)).toHaveLength(1);
    expect(problems(`${URL_BASE}?sslmode=require`, { mode: 'verify-full' })).toEqual(['DATABASE_SSL_MODE: contradicts the sslmode of DATABASE_URL: give one of them']);
    expect(problems(`${URL_BASE}?sslrootcert=a.pem`, { caFile: 'b.pem' })).toEqual(['DATABASE_CA_FILE: is given twice (DATABASE_URL has sslrootcert): give one of them']);
    expect(problems(`${URL_BASE}?sslcert=c.pem&sslkey=k.pem`)).toEqual(['DATABASE_URL: client certificates (sslcert, sslkey) are not supported']);
    expect(problems(`${URL_BASE}?ssl=true`)).toEqual(['DATABASE_URL: give TLS as sslmode (and sslrootcert), not ssl, uselibpqcompat or sslnegotiation']);
    expect(problems(URL_BASE, { mode: 'verify-ca' })).toEqual(['DATABASE_CA_FILE: is required with sslmode verify-ca (any certificate of a public CA would pass)']);
    for (const url of [`${URL_BASE}?sslmode=prefer`, `${URL_BASE}?sslcert=c.pem`]) expect(problems(url).join()).not.toContain('s3cret');
  });
});
