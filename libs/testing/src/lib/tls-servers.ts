import { chownSync, copyFileSync, chmodSync, statSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { freePort, startRedisServer, type RunningRedis } from '@bnpl/service-launchers';
import { type TestCertificates } from './test-certificates';
import { runSql, type DedicatedTestPostgres } from './test-postgres';
import { waitFor } from './wait-for';

/**
 * Turns `ssl = on` on a dedicated test PostgreSQL with the test server certificate (reloaded, no restart):
 * the files are copied into the data directory and owned by the server's OS user, since PostgreSQL
 * refuses a key another user can read. Plain connections stay allowed (the test's pg_hba trusts both);
 * the client's sslmode decides.
 */
export async function enablePostgresTls(pg: DedicatedTestPostgres, certs: TestCertificates): Promise<void> {
  const owner = statSync(pg.dataDir);
  const certFile = join(pg.dataDir, 'server.crt');
  const keyFile = join(pg.dataDir, 'server.key');
  copyFileSync(certs.server.certFile, certFile);
  copyFileSync(certs.server.keyFile, keyFile);
  for (const file of [certFile, keyFile]) chownSync(file, owner.uid, owner.gid);
  chmodSync(keyFile, 0o600);
  await runSql(pg.url, `ALTER SYSTEM SET ssl_cert_file = '${certFile}'`, `ALTER SYSTEM SET ssl_key_file = '${keyFile}'`, `ALTER SYSTEM SET ssl = on`, 'SELECT pg_reload_conf()');
  // The postmaster applies the reload asynchronously: new backends see ssl=on once it has.
  await waitFor('PostgreSQL to turn ssl on', async () => ((await runSql(pg.url, 'SHOW ssl'))[0]?.ssl === 'on' ? true : undefined), 10_000, 50);
}

export interface RunningTlsRedis extends RunningRedis {
  /** rediss://127.0.0.1:<tlsPort> */
  readonly tlsUrl: string;
  readonly tlsPort: number;
}

/**
 * A real redis-server with a TLS port (the test server certificate) beside its plain one (kept for the
 * harness' readiness wait and for arranging data). `clientCertificates: true` makes the TLS port require
 * a client certificate signed by the test CA.
 */
export async function startTlsRedis(certs: TestCertificates, options: { clientCertificates?: boolean } = {}): Promise<RunningTlsRedis> {
  const tlsPort = await freePort();
  const redis = await startRedisServer({
    args: [
      '--tls-port', String(tlsPort),
      '--tls-cert-file', certs.server.certFile,
      '--tls-key-file', certs.server.keyFile,
      '--tls-ca-cert-file', certs.ca.certFile,
      '--tls-auth-clients', options.clientCertificates ? 'yes' : 'no',
    ],
  });
  return { ...redis, tlsPort, tlsUrl: `rediss://127.0.0.1:${tlsPort}` };
}

/**
 * GET `url` over HTTPS trusting only `tls.ca` (and presenting a client certificate when given); resolves
 * with the status and the body (JSON when it parses), rejects when the handshake or connection fails.
 */
export function getJsonOverTls(url: string, tls: { ca: Buffer; cert?: Buffer; key?: Buffer }, timeoutMs = 5_000): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ca: tls.ca, cert: tls.cert, key: tls.key, timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
