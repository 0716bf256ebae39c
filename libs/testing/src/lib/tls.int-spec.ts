import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadCaFile, loadServerTls } from '@bnpl/platform';
import { type ChangeFeedHandler, type SourceTransaction } from '@bnpl/cdc';
import { bnplCatalog, sourceColumnsRead } from '@bnpl/feature-definitions';
import { createDataSource, PgLogicalChangeFeed, SourceDatabase, toDbOptions } from '@bnpl/postgres';
import { generateTestCertificates, type TestCertificates } from './test-certificates';
import { runSql, startTestPostgres, type DedicatedTestPostgres } from './test-postgres';
import { enablePostgresTls } from './tls-servers';
import { waitFor } from './wait-for';

let certs: TestCertificates;

beforeAll(() => {
  certs = generateTestCertificates();
});
afterAll(() => certs?.remove());

/** What a thrown ConfigError says, which must name the variable and nothing of the file. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('test certificates (openssl)', () => {
  it('make a CA whose server certificate names localhost and 127.0.0.1, and a client certificate', () => {
    const ca = new X509Certificate(certs.ca.cert);
    const server = new X509Certificate(certs.server.cert);
    const client = new X509Certificate(certs.client.cert);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(new X509Certificate(certs.otherClient.cert).verify(ca.publicKey)).toBe(false);
  });
});

describe('loadServerTls / loadCaFile (a misconfigured service stops at start-up)', () => {
  const secretLooking = /BEGIN|PRIVATE|MII/;

  it('serves nothing without files and the pair when both are set', () => {
    expect(loadServerTls('svc', {})).toBeUndefined();
    const tls = loadServerTls('svc', { TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: certs.server.keyFile });
    expect(tls?.cert.equals(certs.server.cert)).toBe(true);
    expect(loadCaFile('svc', 'X_CA_FILE', certs.ca.certFile).equals(certs.ca.cert)).toBe(true);
  });

  it('refuses one file without the other, a missing file, a key of another certificate, and files that are not PEM, naming the variable only', () => {
    const notPem = join(certs.dir, 'not-pem.txt');
    writeFileSync(notPem, 'hunter2 is the password\n');
    const cases: Array<[() => unknown, RegExp]> = [
      [() => loadServerTls('svc', { TLS_CERT_FILE: certs.server.certFile }), /TLS_KEY_FILE: is required when TLS_CERT_FILE is set/],
      [() => loadServerTls('svc', { TLS_KEY_FILE: certs.server.keyFile }), /TLS_CERT_FILE: is required when TLS_KEY_FILE is set/],
      [() => loadServerTls('svc', { TLS_CERT_FILE: join(certs.dir, 'absent.crt'), TLS_KEY_FILE: certs.server.keyFile }), /TLS_CERT_FILE: names no file \(ENOENT\)/],
      [() => loadServerTls('svc', { TLS_CERT_FILE: certs.dir, TLS_KEY_FILE: certs.server.keyFile }), /TLS_CERT_FILE: names a directory/],
      [() => loadServerTls('svc', { TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: certs.client.keyFile }), /TLS_KEY_FILE: is not the private key of the certificate in TLS_CERT_FILE/],
      [() => loadServerTls('svc', { TLS_CERT_FILE: notPem, TLS_KEY_FILE: certs.server.keyFile }), /TLS_CERT_FILE: holds no PEM certificate/],
      [() => loadServerTls('svc', { TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: notPem }), /TLS_KEY_FILE: holds no unencrypted PEM private key/],
      // A key where the certificate belongs: its content must not be quoted.
      [() => loadServerTls('svc', { TLS_CERT_FILE: certs.server.keyFile, TLS_KEY_FILE: certs.server.keyFile }), /TLS_CERT_FILE: holds no PEM certificate/],
      [() => loadCaFile('svc', 'REDIS_CA_FILE', notPem), /REDIS_CA_FILE: holds no PEM certificate/],
    ];
    for (const [run, expected] of cases) {
      const message = failure(run);
      expect(message).toMatch(expected);
      expect(message).toMatch(/^Invalid configuration for svc/);
      expect(message).not.toContain(certs.dir);
      expect(message).not.toMatch(secretLooking);
      expect(message).not.toContain('hunter2');
    }
  });
});

describe('PostgreSQL over TLS (ssl=on on a server of the suite\'s own)', () => {
  let pg: DedicatedTestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres({ dedicated: true });
    await enablePostgresTls(pg, certs);
  });
  afterAll(() => pg?.stop());

  /** Connects with `url` (and the service settings) and says whether the session is encrypted. */
  async function connect(url: string, settings: { DATABASE_SSL_MODE?: 'disable' | 'require' | 'verify-ca' | 'verify-full'; DATABASE_CA_FILE?: string } = {}): Promise<boolean> {
    const options = toDbOptions({ DATABASE_URL: url, DATABASE_TYPE: 'postgres', DATABASE_POOL_SIZE: 1, ...settings }, 'tls-test');
    const dataSource = createDataSource(options);
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query<Array<{ ssl: boolean }>>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return row.ssl;
    } finally {
      await dataSource.destroy();
    }
  }

  it('verify-full with the CA connects encrypted, through the URL (sslrootcert) or the settings', async () => {
    expect(await connect(`${pg.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca.certFile)}`)).toBe(true);
    expect(await connect(pg.url, { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: certs.ca.certFile })).toBe(true);
    // The URL's host is checked against the certificate: `localhost` is named there too.
    expect(await connect(pg.url.replace('127.0.0.1', 'localhost'), { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: certs.ca.certFile })).toBe(true);
    expect(await connect(pg.url, { DATABASE_SSL_MODE: 'verify-ca', DATABASE_CA_FILE: certs.ca.certFile })).toBe(true);
    expect(await connect(`${pg.url}?sslmode=require`)).toBe(true);
    expect(await connect(`${pg.url}?sslmode=disable`)).toBe(false);
    expect(await connect(pg.url)).toBe(false);
  });

  it('verify-full against a wrong CA fails with a clear error naming no host or path', async () => {
    const error = await connect(pg.url, { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: certs.otherCa.certFile }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^TLS: the database server certificate was refused \(.+\): is DATABASE_CA_FILE the CA that signed it\?$/);
    for (const leak of ['127.0.0.1', 'localhost', String(pg.port), certs.dir, 'postgres:postgres']) expect(error?.message).not.toContain(leak);
  });

  it('sslmode asking for TLS of a server without it fails saying so', async () => {
    const plain = await startTestPostgres({ migrate: false });
    try {
      const error = await connect(plain.url, { DATABASE_SSL_MODE: 'require' }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toBe('TLS: the database server does not accept TLS connections (ssl is off on it) while sslmode asks for TLS');
    } finally {
      await plain.stop();
    }
  });

  it('verify-full refuses a certificate that does not name the host, without naming it', async () => {
    // Same CA, a certificate for another name, served on the same server: only the name check can refuse it.
    const other = certs.issue('elsewhere', { commonName: 'db.elsewhere.test', altNames: 'DNS:db.elsewhere.test' });
    const swapped = { ...certs, server: other };
    await enablePostgresTls(pg, swapped);
    try {
      const error = await connect(pg.url, { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: certs.ca.certFile }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toBe('the database server certificate does not name the host of DATABASE_URL (sslmode verify-full)');
      // verify-ca checks the chain only, as libpq's does.
      expect(await connect(pg.url, { DATABASE_SSL_MODE: 'verify-ca', DATABASE_CA_FILE: certs.ca.certFile })).toBe(true);
    } finally {
      await enablePostgresTls(pg, certs);
    }
  });

  it('streams logical replication over verify-full (the cdc-ingestor\'s feed)', async () => {
    const options = toDbOptions({ DATABASE_URL: pg.url, DATABASE_TYPE: 'postgres', DATABASE_POOL_SIZE: 2, DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: certs.ca.certFile }, 'tls-cdc');
    const db = new SourceDatabase(options);
    await db.start();
    const transactions: SourceTransaction[] = [];
    const handler: ChangeFeedHandler = {
      onTransaction: (transaction) => void transactions.push(transaction),
      onReconnect: () => undefined,
      onError: () => undefined,
      isStalled: () => false,
      onCaughtUp: () => undefined,
    };
    const feed = new PgLogicalChangeFeed(db, { url: pg.url, tls: options.tls, slotName: 'tls_slot', publicationName: 'tls_pub', tables: Object.fromEntries(sourceColumnsRead(bnplCatalog)), applicationName: 'tls-cdc' });
    try {
      await feed.start(handler);
      await runSql(pg.url, `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor) VALUES (424242, 'c@example.com', 'C', 'GB', 'GBP', 2, 100000)`);
      await waitFor('the inserted customer to stream', async () => (transactions.some((t) => JSON.stringify(t).includes('424242')) ? true : undefined), 15_000);
      const [walsender] = await runSql(pg.url, `SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE r.application_name = 'tls-cdc'`);
      expect(walsender?.ssl).toBe(true);
    } finally {
      await feed.stop();
      await db.close();
    }
  });

  it('refuses bad TLS settings at start-up, naming the variable and neither the path nor the password', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: join(certs.dir, 'absent.crt') }, /DATABASE_CA_FILE: it names a file that cannot be read \(ENOENT\)/],
      [{ DATABASE_SSL_MODE: 'verify-ca' }, /DATABASE_CA_FILE: is required with sslmode verify-ca/],
      [{ DATABASE_URL: `${pg.url}?sslmode=prefer` }, /DATABASE_URL: sslmode must be one of: disable, no-verify, require, verify-ca, verify-full/],
      [{ DATABASE_URL: `${pg.url}?sslmode=require`, DATABASE_SSL_MODE: 'verify-full' }, /DATABASE_SSL_MODE: contradicts the sslmode of DATABASE_URL/],
      [{ DATABASE_URL: `${pg.url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(join(certs.dir, 'absent.crt'))}` }, /DATABASE_URL: its sslrootcert names a file that cannot be read \(ENOENT\)/],
      [{ DATABASE_URL: `${pg.url}?sslmode=verify-full&sslcert=x&sslkey=y` }, /DATABASE_URL: client certificates \(sslcert, sslkey\) are not supported/],
    ];
    for (const [settings, expected] of cases) {
      const message = failure(() => toDbOptions({ DATABASE_URL: pg.url, DATABASE_TYPE: 'postgres', DATABASE_POOL_SIZE: 1, ...settings } as never, 'tls-test'));
      expect(message).toMatch(expected);
      expect(message).not.toContain(certs.dir);
      expect(message).not.toContain('postgres:postgres');
    }
  });
});
