/**
 * Environment variable names that carry a secret by what they are: a password, token, key or
 * credential, and the URLs whose credentials are part of them (DATABASE_URL, REDIS_URL).
 */
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|APIKEY|CREDENTIALS?|AUTH)(_|$)/i;
const URL_WITH_CREDENTIALS_NAME = /^(DATABASE_URL|REDIS_URL)$/i;
/** `scheme://user:password@host` or `scheme://:password@host`. */
const CREDENTIALS_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || URL_WITH_CREDENTIALS_NAME.test(name);
}

export function looksLikeCredentials(value: unknown): boolean {
  return typeof value === 'string' && CREDENTIALS_IN_URL.test(value);
}

/** The environment variables every service needs from Secret Manager. */
export const REQUIRED_SECRET_ENV = ['DATABASE_URL', 'REDIS_URL'] as const;
