import { generateApiKey } from '../api-keys/api-key';
import { UnauthenticatedError } from '../errors/unauthenticated.error';
import { MAX_CREDENTIAL_LENGTH, readCredential, redactCredentialsInUrl, refuseCredentialInUrl } from './credentials';

const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return { reason: (error as UnauthenticatedError).reason, message: (error as Error).message };
  }
  throw new Error('did not throw');
};

describe('readCredential', () => {
  const key = generateApiKey().plaintext;

  it('reads an API key from x-api-key, or from a bearer value in the key format', () => {
    expect(readCredential(key, undefined)).toEqual({ kind: 'api-key', key });
    expect(readCredential([` ${key} `], undefined)).toEqual({ kind: 'api-key', key });
    expect(readCredential(undefined, `Bearer ${key}`)).toEqual({ kind: 'api-key', key });
    expect(readCredential(undefined, `bearer  ${key}`)).toEqual({ kind: 'api-key', key });
  });

  it('takes x-api-key when Authorization is sent too (a platform token, e.g. Cloud Run IAM), without reading it', () => {
    expect(readCredential(key, 'Bearer eyJhbGciOi.google.id-token')).toEqual({ kind: 'api-key', key });
    expect(readCredential(key, 'Basic not-even-bearer')).toEqual({ kind: 'api-key', key });
  });

  it('reads any other bearer value as a token', () => {
    expect(readCredential(undefined, 'Bearer eyJhbGciOi.x.y')).toEqual({ kind: 'bearer', token: 'eyJhbGciOi.x.y' });
  });

  it.each([
    ['nothing', undefined, undefined, 'MISSING_CREDENTIALS', /x-api-key header.*Authorization: Bearer/],
    ['an empty list', [], undefined, 'MISSING_CREDENTIALS', /Authentication required/],
    ['a repeated header', ['a', 'b'], undefined, 'MALFORMED_CREDENTIALS', /sent 2 times/],
    ['an empty key', '  ', undefined, 'MALFORMED_CREDENTIALS', /empty/],
    ['Basic auth', undefined, 'Basic dXNlcjpwYXNz', 'MALFORMED_CREDENTIALS', /Unsupported Authorization scheme "Basic"/],
    ['a bare bearer', undefined, 'Bearer', 'MALFORMED_CREDENTIALS', /expected "Bearer <token>"/],
    ['a bearer with spaces', undefined, 'Bearer a b', 'MALFORMED_CREDENTIALS', /expected "Bearer <token>"/],
    ['an oversized token', undefined, `Bearer ${'a'.repeat(MAX_CREDENTIAL_LENGTH)}`, 'CREDENTIALS_TOO_LARGE', /at most 8192 characters/],
    ['an oversized key', 'k'.repeat(MAX_CREDENTIAL_LENGTH + 1), undefined, 'CREDENTIALS_TOO_LARGE', /x-api-key header is too large/],
  ])('refuses %s', (_what, apiKey, authorization, reason, message) => {
    const problem = reasonOf(() => readCredential(apiKey, authorization));
    expect(problem.reason).toBe(reason);
    expect(problem.message).toMatch(message);
    expect(problem.message.length).toBeLessThanOrEqual(300);
  });

  it('never quotes the credential in its messages', () => {
    const secret = 'Bearer-super-secret-value-1234567890';
    expect(reasonOf(() => readCredential(undefined, secret)).message).not.toContain('secret-value');
  });
});

describe('refuseCredentialInUrl', () => {
  const key = generateApiKey().plaintext;

  it.each([`/v1/catalog?api_key=${key}`, '/v1/catalog?apikey=abc', '/v1/jobs?state=running&access_token=abc', '/v1/catalog?X-API-KEY=abc', `/v1/customers/${key}/features`, `/v1/catalog?q=${key}`])(
    'refuses %s',
    (url) => {
      expect(reasonOf(() => refuseCredentialInUrl(url)).reason).toBe('CREDENTIALS_IN_URL');
    },
  );

  it.each(['/v1/customers/1/features?service=credit_decision_v1&merchant_id=1', '/v1/catalog', '/v1/customers/1/features?features=customer_profile:fsk_count'])('accepts %s', (url) => {
    expect(() => refuseCredentialInUrl(url)).not.toThrow();
  });
});

describe('redactCredentialsInUrl', () => {
  it('hides credential parameters and keys, and leaves the rest', () => {
    const key = generateApiKey().plaintext;
    expect(redactCredentialsInUrl(`/v1/catalog?api_key=${key}&x=1`)).toBe('/v1/catalog?api_key=[redacted]&x=1');
    expect(redactCredentialsInUrl(`/v1/customers/${key}/features?access_token=abc`)).toBe('/v1/customers/[redacted]/features?access_token=[redacted]');
    expect(redactCredentialsInUrl('/v1/customers/1/features?service=credit_decision_v1')).toBe('/v1/customers/1/features?service=credit_decision_v1');
  });
});
