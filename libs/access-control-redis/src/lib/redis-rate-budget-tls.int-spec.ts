import { describeRateBudgetContract } from '@bnpl/access-control';
import { generateTestCertificates, startTlsRedis, waitFor, type RunningTlsRedis, type TestCertificates } from '@bnpl/testing';
import { RedisRateBudget } from './redis-rate-budget';

/** The shared budget over rediss:// against a real redis-server's TLS port, trusting the suite's own CA. */
describeRateBudgetContract('redis over TLS (rediss://, private CA)', async () => {
  const certs = generateTestCertificates();
  const redis = await startTlsRedis(certs);
  const connect = async () => {
    const budget = RedisRateBudget.connect({ url: redis.tlsUrl, tlsCa: certs.ca.cert });
    await waitFor('the budget to reach Redis over TLS', () => budget.ping().then(() => true).catch(() => undefined), 15_000, 50);
    return budget;
  };
  const budget = await connect();
  return {
    budget,
    openAnother: connect,
    dispose: async () => {
      await budget.close();
      await redis.stop();
      certs.remove();
    },
  };
});

describe('RedisRateBudget over rediss:// without the private CA', () => {
  let certs: TestCertificates;
  let redis: RunningTlsRedis;
  beforeAll(async () => {
    certs = generateTestCertificates();
    redis = await startTlsRedis(certs);
  });
  afterAll(async () => {
    await redis?.stop();
    certs?.remove();
  });

  it('never reaches the server (the limiter then fails open, as for an unreachable Redis)', async () => {
    const trusted = RedisRateBudget.connect({ url: redis.tlsUrl, tlsCa: certs.ca.cert });
    const untrusted = RedisRateBudget.connect({ url: redis.tlsUrl, tlsCa: certs.otherCa.cert });
    try {
      await waitFor('the trusted budget to reach Redis', () => trusted.ping().then(() => true).catch(() => undefined), 15_000, 50);
      await expect(untrusted.ping()).rejects.toThrow();
    } finally {
      await Promise.all([trusted.close(), untrusted.close()]);
    }
  });
});
