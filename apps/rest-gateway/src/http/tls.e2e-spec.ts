import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  enablePostgresTls,
  freePort,
  generateTestCertificates,
  getJsonOverTls,
  runSql,
  serviceEnv,
  spawnService,
  startTestPostgres,
  startTlsRedis,
  waitFor,
  type DedicatedTestPostgres,
  type RunningTlsRedis,
  type ServiceProcess,
  type TestCertificates,
} from '@bnpl/testing';

/**
 * rest-gateway with TLS everywhere: HTTPS on its port (TLS_CERT_FILE, TLS_KEY_FILE), PostgreSQL with
 * sslmode=verify-full against the test CA (a dedicated server with ssl=on), Redis over rediss:// with
 * REDIS_CA_FILE (a redis-server whose only client port for the service is its TLS port).
 */
describe('rest-gateway over TLS', () => {
  let certs: TestCertificates;
  let pg: DedicatedTestPostgres;
  let redis: RunningTlsRedis;
  let service: ServiceProcess | undefined;
  let port: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    certs = generateTestCertificates();
    [pg, redis] = await Promise.all([startTestPostgres({ dedicated: true }), startTlsRedis(certs)]);
    await enablePostgresTls(pg, certs);
    port = await freePort();
    env = {
      ...serviceEnv({ pg, redis: { url: redis.tlsUrl } }),
      PORT: String(port),
      DATABASE_SSL_MODE: 'verify-full',
      DATABASE_CA_FILE: certs.ca.certFile,
      REDIS_CA_FILE: certs.ca.certFile,
      TLS_CERT_FILE: certs.server.certFile,
      TLS_KEY_FILE: certs.server.keyFile,
    };
    service = spawnService('rest-gateway', env);
    const https = `https://127.0.0.1:${port}/health/ready`;
    try {
      await waitFor('rest-gateway ready over HTTPS', async () => ((await getJsonOverTls(https, { ca: certs.ca.cert }).catch(() => undefined))?.status === 200 ? true : undefined), 60_000, 200);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output()}`);
    }
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all([pg?.stop(), redis?.stop()]);
    certs?.remove();
  });

  it('answers HTTPS verified against the test CA, ready with PostgreSQL and Redis reached over TLS', async () => {
    const ready = await getJsonOverTls(`https://localhost:${port}/health/ready`, { ca: certs.ca.cert });
    expect(ready.status).toBe(200);
    expect(JSON.stringify(ready.body)).toMatch(/postgres/);
    // Its sessions on PostgreSQL are encrypted (pg_stat_ssl), and none is plain.
    const sessions = await runSql(pg.url, `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'rest-gateway'`);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((row) => row.ssl === true)).toBe(true);
    // A read goes through the online store: the only Redis port it knows is the TLS one.
    const read = await getJsonOverTls(`https://127.0.0.1:${port}/v1/customers/1/features?features=customer_profile:country`, { ca: certs.ca.cert });
    expect(read.status).toBe(200);
    const clients = execFileSync('redis-cli', ['-p', String(redis.port), 'CLIENT', 'LIST']).toString();
    // redis-server lists each connection's local address: the service's are on the TLS port.
    expect(clients).toContain(`laddr=127.0.0.1:${redis.tlsPort}`);
  });

  it('refuses plain HTTP on its port, and HTTPS to a client that trusts another CA', async () => {
    await expect(fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    await expect(getJsonOverTls(`https://127.0.0.1:${port}/health/live`, { ca: certs.otherCa.cert })).rejects.toThrow(/certificate/);
  });

  it('stops at start-up on a missing certificate or a key of another certificate, naming the variable and no path or key', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ TLS_CERT_FILE: join(certs.dir, 'absent.crt') }, /TLS_CERT_FILE: names no file \(ENOENT\)/],
      [{ TLS_KEY_FILE: certs.client.keyFile }, /TLS_KEY_FILE: is not the private key of the certificate in TLS_CERT_FILE/],
      [{ REDIS_CA_FILE: join(certs.dir, 'absent-ca.crt') }, /REDIS_CA_FILE: names no file \(ENOENT\)/],
      [{ DATABASE_CA_FILE: join(certs.dir, 'absent-ca.crt') }, /DATABASE_CA_FILE: it names a file that cannot be read \(ENOENT\)/],
    ];
    for (const [bad, expected] of cases) {
      const failing = spawnService('rest-gateway', { ...env, PORT: String(await freePort()), ...bad });
      const { code } = await failing.exited;
      const output = failing.output();
      expect(output).toMatch(expected);
      expect(code).not.toBe(0);
      expect(output).not.toContain(certs.dir);
      expect(output).not.toMatch(/BEGIN|PRIVATE KEY/);
    }
  });
});
