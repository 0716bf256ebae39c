import { maskAddresses } from './mask-addresses';

describe('maskAddresses', () => {
  it.each([
    ['connect ECONNREFUSED 10.0.0.5:5432', 'connect ECONNREFUSED <address>'],
    ['getaddrinfo ENOTFOUND db.internal.example', 'getaddrinfo ENOTFOUND <address>'],
    ['Online store (redis) unavailable: connect ECONNREFUSED 127.0.0.1:6379', 'Online store (redis) unavailable: connect ECONNREFUSED <address>'],
    ['could not reach redis://:hunter2@cache:6379/0 in time', 'could not reach <url> in time'],
    ['postgres://app:s3cret@db.prod.internal:5432/bnpl refused', '<url> refused'],
    ['connect ECONNREFUSED [::1]:6379', 'connect ECONNREFUSED <address>'],
    ['localhost:5432 refused', '<address> refused'],
    ['connect ETIMEDOUT redis-0.cache.svc:6379, e.g. after a failover', 'connect ETIMEDOUT <address>, e.g. after a failover'],
  ])('masks %s', (input, expected) => {
    expect(maskAddresses(input)).toBe(expected);
    expect(maskAddresses(input)).not.toMatch(/hunter2|s3cret|10\.0\.0\.5|127\.0\.0\.1|internal/);
  });

  it('leaves messages without addresses alone', () => {
    for (const text of ['the source database is unavailable; retry later', 'retrying every 0.5s', 'Features unavailable: customer_exposure:total_exposure', 'give an ISO 8601 timestamp (e.g. 2025-03-01T10:00:00Z), i.e. with its offset']) {
      expect(maskAddresses(text)).toBe(text);
    }
  });
});
