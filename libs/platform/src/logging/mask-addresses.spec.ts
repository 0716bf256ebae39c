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
  ])('masks %s', (input, expected) => {
    expect(maskAddresses(input)).toBe(expected);
    expect(maskAddresses(input)).not.toMatch(/hunter2|s3cret|10\.0\.0\.5|127\.0\.0\.1|internal/);
  });

  it('leaves messages without addresses alone', () => {
    for (const text of ['the source database is unavailable; retry later', 'retrying every 0.5s', 'Features unavailable: customer_exposure:total_exposure']) {
      expect(maskAddresses(text)).toBe(text);
    }
  });
});
