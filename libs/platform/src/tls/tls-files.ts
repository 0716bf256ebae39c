import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

/** A bad TLS setting: the variable and what is wrong, never the file's path or any of its content. */
export type TlsProblem = { variable: string; message: string };

/**
 * The certificate and key a service serves TLS with, shared by every service schema
 * (`...serverTlsEnvSchema.shape`): when both are set, the HTTP port (and grpc-serving's gRPC port) serve
 * TLS only; when neither is, plain HTTP. PEM files; the certificate file may hold the chain after the leaf.
 */
export const serverTlsEnvSchema = z.object({
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
});

export type ServerTlsEnv = z.infer<typeof serverTlsEnvSchema>;

/** What Node's TLS servers take (`https.createServer`, grpc-js' `ServerCredentials.createSsl`). */
export interface ServerTls {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * The server's certificate and key, read and checked (both or neither set, readable, PEM, the key is the
 * certificate's, usable by Node's TLS); `undefined` when neither is set. Throws a ConfigError naming each
 * bad variable, so a misconfigured service stops at start-up instead of serving plain text or failing
 * every handshake.
 */
export function loadServerTls(service: string, config: ServerTlsEnv): ServerTls | undefined {
  const { tls, problems } = inspectServerTls(config);
  if (problems.length) throw new ConfigError(service, problems);
  return tls;
}

/** The same checks as a ConfigCheck (for loadConfig): the problems, none when TLS is off or sound. */
export function checkServerTlsEnv(config: ServerTlsEnv): TlsProblem[] {
  return inspectServerTls(config).problems;
}

/**
 * A file of one or more PEM CA certificates (a private CA to verify a server or client with). Throws a
 * ConfigError naming `variable` when it cannot be read or holds no certificate.
 */
export function loadCaFile(service: string, variable: string, path: string): Buffer {
  const { pem, problems } = inspectCaFile(variable, path);
  if (!pem) throw new ConfigError(service, problems);
  return pem;
}

/** The problems of a CA file (for a ConfigCheck); none when it is a readable PEM certificate bundle. */
export function caFileProblems(variable: string, path: string): TlsProblem[] {
  return inspectCaFile(variable, path).problems;
}

function inspectServerTls(config: ServerTlsEnv): { tls?: ServerTls; problems: TlsProblem[] } {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (certFile === undefined && keyFile === undefined) return { problems: [] };
  if (certFile === undefined) return { problems: [{ variable: 'TLS_CERT_FILE', message: 'is required when TLS_KEY_FILE is set' }] };
  if (keyFile === undefined) return { problems: [{ variable: 'TLS_KEY_FILE', message: 'is required when TLS_CERT_FILE is set' }] };
  const problems: TlsProblem[] = [];
  const cert = readPem('TLS_CERT_FILE', certFile, problems);
  const key = readPem('TLS_KEY_FILE', keyFile, problems);
  if (!cert || !key) return { problems };
  const certificate = parseCertificate('TLS_CERT_FILE', cert, problems);
  const privateKey = parsePrivateKey('TLS_KEY_FILE', key, problems);
  if (!certificate || !privateKey) return { problems };
  if (!certificate.checkPrivateKey(privateKey)) return { problems: [{ variable: 'TLS_KEY_FILE', message: 'is not the private key of the certificate in TLS_CERT_FILE' }] };
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    return { problems: [{ variable: 'TLS_CERT_FILE', message: `cannot be served with TLS_KEY_FILE (${opensslReason(error)})` }] };
  }
  return { tls: { cert, key }, problems: [] };
}

function inspectCaFile(variable: string, path: string): { pem?: Buffer; problems: TlsProblem[] } {
  const problems: TlsProblem[] = [];
  const pem = readPem(variable, path, problems);
  if (!pem) return { problems };
  if (!parseCertificate(variable, pem, problems)) return { problems };
  return { pem, problems };
}

function readPem(variable: string, path: string, problems: TlsProblem[]): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    // The errno code says what is wrong; the message would quote the path.
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'names no file (ENOENT)' : code === 'EACCES' ? 'names a file this process may not read (EACCES)' : code === 'EISDIR' ? 'names a directory, not a file' : `cannot be read (${code ?? 'error'})`;
    problems.push({ variable, message: why });
    return undefined;
  }
}

function parseCertificate(variable: string, pem: Buffer, problems: TlsProblem[]): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    problems.push({ variable, message: 'holds no PEM certificate' });
    return undefined;
  }
}

function parsePrivateKey(variable: string, pem: Buffer, problems: TlsProblem[]): KeyObject | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    // Never the parser's message: it can quote the file.
    problems.push({ variable, message: 'holds no unencrypted PEM private key' });
    return undefined;
  }
}

/** OpenSSL's reason (e.g. "ee key too small"), which names neither the file nor its content. */
function opensslReason(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : 'rejected by OpenSSL';
}
