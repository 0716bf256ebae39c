import { UnauthenticatedError } from '../errors/unauthenticated.error';
import { API_KEY_MARKER, containsApiKey } from '../api-keys/api-key';

/** A credential as presented: an API key, or a bearer token (a JWT from the identity provider). */
export type Credential = { readonly kind: 'api-key'; readonly key: string } | { readonly kind: 'bearer'; readonly token: string };

/**
 * The longest credential read. Our API keys are 60 characters and identity providers' JWTs a few hundred
 * to a few thousand; anything longer is refused before parsing, so that a huge header costs nothing.
 */
export const MAX_CREDENTIAL_LENGTH = 8_192;

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

const HOW = 'send an API key in the x-api-key header, or a token as "Authorization: Bearer <token>"';

/**
 * Reads the credential from the two places it may be (REST headers and gRPC metadata alike):
 * `x-api-key: <key>` or `authorization: Bearer <key or token>`. A bearer value in our API key format is
 * an API key, anything else a token.
 *
 * When both are sent, `x-api-key` is the credential and `Authorization` is not read: behind a platform that
 * authenticates callers itself (Cloud Run with IAM, whose Cloud Scheduler and service-to-service calls put
 * a Google ID token in `Authorization`), the API key travels beside the platform's token.
 *
 * @throws UnauthenticatedError naming the problem: none given, a header repeated, an empty value, another
 *   Authorization scheme, a value over MAX_CREDENTIAL_LENGTH.
 */
export function readCredential(apiKeyHeader: unknown, authorizationHeader: unknown): Credential {
  const apiKey = single('x-api-key', apiKeyHeader);
  if (apiKey !== undefined) {
    const key = apiKey.trim();
    if (!key) throw new UnauthenticatedError('MALFORMED_CREDENTIALS', 'The x-api-key header is empty');
    return { kind: 'api-key', key };
  }
  const authorization = single('authorization', authorizationHeader);
  if (authorization === undefined) throw new UnauthenticatedError('MISSING_CREDENTIALS', `Authentication required: ${HOW}`);
  const match = BEARER.exec(authorization);
  if (!match) {
    const scheme = /^\s*(\S{1,20})/.exec(authorization)?.[1];
    throw new UnauthenticatedError(
      'MALFORMED_CREDENTIALS',
      scheme && !/^bearer$/i.test(scheme) ? `Unsupported Authorization scheme ${JSON.stringify(scheme)}: use "Bearer <token>"` : 'Malformed Authorization header: expected "Bearer <token>"',
    );
  }
  const value = match[1];
  return value.startsWith(API_KEY_MARKER) ? { kind: 'api-key', key: value } : { kind: 'bearer', token: value };
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length > 1) throw new UnauthenticatedError('MALFORMED_CREDENTIALS', `The ${name} header was sent ${value.length} times: send it once`);
    return single(name, value[0]);
  }
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
  if (text.length > MAX_CREDENTIAL_LENGTH) throw new UnauthenticatedError('CREDENTIALS_TOO_LARGE', `The ${name} header is too large: at most ${MAX_CREDENTIAL_LENGTH} characters`);
  return text;
}

/** Query parameters that carry credentials in other APIs; ours never take one from the URL. */
const CREDENTIAL_PARAMETER = /(?:^|[?&;])(?:api[-_]?key|x-api-key|access[-_]?token|id[-_]?token|bearer|authorization)=/i;

/**
 * Refuses a credential in the URL (a query parameter, or one of our keys anywhere in it): URLs end up in
 * access logs, proxies and browser history, so such a key must be considered leaked. Checked before the
 * headers, so that the caller learns the right way even when it also sent a header.
 *
 * @throws UnauthenticatedError `CREDENTIALS_IN_URL`
 */
export function refuseCredentialInUrl(url: string): void {
  const query = url.indexOf('?');
  const inQuery = query >= 0 && CREDENTIAL_PARAMETER.test(url.slice(query));
  if (inQuery || containsApiKey(url)) {
    throw new UnauthenticatedError(
      'CREDENTIALS_IN_URL',
      'Credentials are never read from the URL (URLs are logged): send the API key in the x-api-key header or the token in the Authorization header, and rotate a key that was sent in a URL',
    );
  }
}

const CREDENTIAL_VALUE = /([?&;](?:api[-_]?key|x-api-key|access[-_]?token|id[-_]?token|bearer|authorization)=)[^&;#]*/gi;
const KEY_ANYWHERE = /fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/g;

/** `url` with credentials (credential parameters' values, our keys anywhere) replaced by `[redacted]`, for answers and logs. */
export function redactCredentialsInUrl(url: string): string {
  return url.replace(CREDENTIAL_VALUE, '$1[redacted]').replace(KEY_ANYWHERE, '[redacted]');
}
