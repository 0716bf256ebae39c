import { readPathEnvSchema, toReadPathOptions } from './read-path-env';

describe('read path settings', () => {
  it('default to 100 ms for the online store and 2 s for the source', () => {
    expect(toReadPathOptions(readPathEnvSchema.parse({}))).toEqual({ onlineStoreTimeoutMs: 100, sourceTimeoutMs: 2_000 });
  });

  it('take the operator\'s timeouts', () => {
    expect(toReadPathOptions(readPathEnvSchema.parse({ SERVING_ONLINE_READ_TIMEOUT_MS: '750', SERVING_SOURCE_READ_TIMEOUT_MS: '5000' }))).toEqual({ onlineStoreTimeoutMs: 750, sourceTimeoutMs: 5_000 });
  });

  it('refuse a timeout that is not a positive integer', () => {
    expect(readPathEnvSchema.safeParse({ SERVING_ONLINE_READ_TIMEOUT_MS: '0' }).success).toBe(false);
    expect(readPathEnvSchema.safeParse({ SERVING_SOURCE_READ_TIMEOUT_MS: 'soon' }).success).toBe(false);
  });
});
