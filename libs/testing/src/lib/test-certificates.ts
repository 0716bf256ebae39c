import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findOnPath, makeTempDir } from '@bnpl/service-launchers';

/** A PEM certificate and its key, as files and as contents. */
export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface TestCertificates {
  /** The directory holding every file; `remove()` deletes it. */
  readonly dir: string;
  /** The test CA (self-signed) that signed `server` and `client`. */
  readonly ca: TestCertificate;
  /** For `localhost`, 127.0.0.1 and ::1, signed by `ca`. */
  readonly server: TestCertificate;
  /** A client certificate (CN `test-client`) signed by `ca`, for mutual TLS. */
  readonly client: TestCertificate;
  /** Another CA, unrelated to `ca`: verifying `server` with it must fail. */
  readonly otherCa: TestCertificate;
  /** A client certificate signed by `otherCa`: a server that trusts only `ca` must refuse it. */
  readonly otherClient: TestCertificate;
  /** Whatever `name` says, for `localhost` and 127.0.0.1, signed by `ca`: e.g. a key that matches no certificate here. */
  issue(name: string, options?: { commonName?: string; altNames?: string }): TestCertificate;
  remove(): void;
}

const DAYS = '2';

/**
 * A throwaway PKI for one test suite, made with the `openssl` CLI (P-256 keys, valid for two days): a CA,
 * a server certificate for localhost/127.0.0.1/::1, a client certificate, and a second CA with a client
 * certificate of its own for the "wrong CA" cases. Keys are written mode 0600.
 */
export function generateTestCertificates(): TestCertificates {
  const openssl = findOnPath('openssl');
  if (!openssl) throw new Error('openssl is not on PATH: apt-get install -y openssl');
  const temp = makeTempDir('bnpl-test-tls-');
  const dir = temp.path;
  const run = (args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  const selfSigned = (name: string, commonName: string): TestCertificate => {
    const keyFile = join(dir, `${name}.key`);
    const certFile = join(dir, `${name}.crt`);
    run([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', DAYS, '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return files(certFile, keyFile);
  };

  const signed = (name: string, issuer: TestCertificate, commonName: string, extensions: string): TestCertificate => {
    const keyFile = join(dir, `${name}.key`);
    const certFile = join(dir, `${name}.crt`);
    const csr = join(dir, `${name}.csr`);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, `basicConstraints=CA:FALSE\n${extensions}\n`);
    run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${commonName}`]);
    run(['x509', '-req', '-in', csr, '-CA', issuer.certFile, '-CAkey', issuer.keyFile, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', DAYS, '-out', certFile, '-extfile', ext]);
    return files(certFile, keyFile);
  };

  const serverExtensions = (altNames: string) => `subjectAltName=${altNames}\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth`;
  const clientExtensions = 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth';

  try {
    const ca = selfSigned('ca', 'bnpl-test-ca');
    const otherCa = selfSigned('other-ca', 'bnpl-other-test-ca');
    return {
      dir,
      ca,
      otherCa,
      server: signed('server', ca, 'localhost', serverExtensions('DNS:localhost,IP:127.0.0.1,IP:::1')),
      client: signed('client', ca, 'test-client', clientExtensions),
      otherClient: signed('other-client', otherCa, 'other-test-client', clientExtensions),
      issue: (name, options = {}) => signed(name, ca, options.commonName ?? name, serverExtensions(options.altNames ?? 'DNS:localhost,IP:127.0.0.1')),
      remove: () => temp.remove(),
    };
  } catch (error) {
    temp.remove();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl could not make the test certificates: ${(error as Error).message}\n${stderr}`);
  }
}

function files(certFile: string, keyFile: string): TestCertificate {
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
