import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';

/**
 * How the connection to PostgreSQL uses TLS, with libpq's `sslmode` meanings:
 * - `disable`: plain text.
 * - `no-verify` (node-postgres' name) and `require` without a CA: encrypted, the server's certificate is
 *   not checked (an attacker on the path can impersonate the server).
 * - `verify-ca` (and `require` with a CA, as libpq does): the certificate must chain to the CA.
 * - `verify-full`: the certificate must chain to the CA (Node's bundled CAs when none is given) and name
 *   the host of the URL.
 * `allow` and `prefer` (try TLS, fall back to plain text) are refused: node-postgres cannot fall back, and
 * a silent downgrade is what they would allow.
 */
export const SSL_MODES = ['disable', 'no-verify', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PgTlsOptions {
  readonly mode: SslMode;
  /** PEM CA certificates the server's certificate must chain to (required by verify-ca). */
  readonly ca?: Buffer;
}

/** The URL's TLS query parameters (libpq's and node-postgres'), which this lib reads itself. */
const TLS_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat', 'sslnegotiation'];

/** A problem with the TLS settings: the variable (or URL parameter) and what is wrong, never a path or host. */
export type PgTlsProblem = { variable: string; message: string };

/**
 * The TLS settings of a connection from its URL's `sslmode`/`sslrootcert` and the service's settings
 * (`mode`, `caFile`), which must not contradict the URL. Returns the problems instead when they are bad.
 */
export function resolvePgTls(url: string, settings: { mode?: SslMode; caFile?: string } = {}): { tls: PgTlsOptions; problems: [] } | { tls?: undefined; problems: PgTlsProblem[] } {
  const params = new URL(url).searchParams;
  const problems: PgTlsProblem[] = [];
  const urlMode = params.get('sslmode') ?? undefined;
  if (urlMode !== undefined && !(SSL_MODES as readonly string[]).includes(urlMode)) {
    problems.push({ variable: 'DATABASE_URL', message: `sslmode must be one of: ${SSL_MODES.join(', ')} (allow and prefer would fall back to plain text)` });
  }
  if (urlMode !== undefined && settings.mode !== undefined && urlMode !== settings.mode) {
    problems.push({ variable: 'DATABASE_SSL_MODE', message: `contradicts the sslmode of DATABASE_URL: give one of them` });
  }
  if (params.has('sslcert') || params.has('sslkey')) problems.push({ variable: 'DATABASE_URL', message: 'client certificates (sslcert, sslkey) are not supported' });
  if (params.has('ssl') || params.has('uselibpqcompat') || params.has('sslnegotiation')) problems.push({ variable: 'DATABASE_URL', message: 'give TLS as sslmode (and sslrootcert), not ssl, uselibpqcompat or sslnegotiation' });
  const urlCa = params.get('sslrootcert') ?? undefined;
  if (urlCa !== undefined && settings.caFile !== undefined) problems.push({ variable: 'DATABASE_CA_FILE', message: 'is given twice (DATABASE_URL has sslrootcert): give one of them' });
  if (problems.length) return { problems };

  const mode = (settings.mode ?? urlMode ?? (urlCa !== undefined || settings.caFile !== undefined ? 'verify-full' : 'disable')) as SslMode;
  const caVariable = urlCa !== undefined ? 'DATABASE_URL' : 'DATABASE_CA_FILE';
  const caFile = urlCa ?? settings.caFile;
  if (mode === 'verify-ca' && caFile === undefined) return { problems: [{ variable: 'DATABASE_CA_FILE', message: 'is required with sslmode verify-ca (any certificate of a public CA would pass)' }] };
  if (caFile === undefined || mode === 'disable' || mode === 'no-verify') return { tls: { mode }, problems: [] };
  try {
    return { tls: { mode, ca: readFileSync(caFile) }, problems: [] };
  } catch (error) {
    // The errno code says what is wrong; the message would quote the path.
    const what = caVariable === 'DATABASE_URL' ? 'its sslrootcert' : 'it';
    return { problems: [{ variable: caVariable, message: `${what} names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }] };
  }
}

/**
 * What node-postgres is given: the URL without its TLS parameters (node-postgres would otherwise parse
 * them itself and override `ssl`, with meanings of its own) and the `ssl` option for the mode.
 */
export function pgConnection(url: string, tls: PgTlsOptions): { url: string; ssl: false | ConnectionOptions } {
  const parsed = new URL(url);
  for (const name of TLS_PARAMETERS) parsed.searchParams.delete(name);
  return { url: parsed.toString(), ssl: sslOption(tls) };
}

function sslOption(tls: PgTlsOptions): false | ConnectionOptions {
  const ca = tls.ca ? { ca: tls.ca } : {};
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'require':
      return tls.ca ? { ...ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is verified; the name is not (libpq's verify-ca).
      return { ...ca, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...ca, checkServerIdentity: hostNamedByCertificate };
  }
}

/** Node's own check, with an error that names neither the host nor the certificate's names. */
function hostNamedByCertificate(host: string, cert: PeerCertificate): Error | undefined {
  const refused = checkServerIdentity(host, cert);
  if (!refused) return undefined;
  return Object.assign(new Error('the database server certificate does not name the host of DATABASE_URL (sslmode verify-full)'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
}

/** Node's codes for a certificate that did not verify. */
const CERTIFICATE_REFUSED = /CERT|SIGNATURE|SELF_SIGNED|ISSUER/;

/**
 * A connection error as an operator can act on it when TLS is the cause (an unverified certificate, a
 * server without TLS); the error itself otherwise. Node's verification messages name no host or path.
 */
export function describePgTlsFailure(error: unknown): unknown {
  // Not `instanceof Error`: errors from Node's own TLS layer may come from another realm (e.g. under Jest).
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return error;
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new Error(message, { cause: error });
  if (typeof code === 'string' && CERTIFICATE_REFUSED.test(code)) {
    return new Error(`TLS: the database server certificate was refused (${message}): is DATABASE_CA_FILE the CA that signed it?`, { cause: error });
  }
  if (/does not support SSL/i.test(message)) return new Error('TLS: the database server does not accept TLS connections (ssl is off on it) while sslmode asks for TLS', { cause: error });
  return error;
}
