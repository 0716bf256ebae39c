import { describeRateBudgetContract, LeasedRateLimiter, startOfWindow } from '@bnpl/access-control';
import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import { RedisRateBudget } from './redis-rate-budget';

describeRateBudgetContract('redis', async () => {
  const redis = await startRedisServer();
  const budget = RedisRateBudget.connect({ url: redis.url });
  await waitUntilConnected(budget);
  return {
    budget,
    openAnother: async () => {
      const another = RedisRateBudget.connect({ url: redis.url });
      await waitUntilConnected(another);
      return another;
    },
    dispose: async () => {
      await budget.close();
      await redis.stop();
    },
  };
});

async function waitUntilConnected(budget: RedisRateBudget): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      return await budget.ping();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('RedisRateBudget behind the leasing limiter (real redis-server)', () => {
  let redis: RunningRedis;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('admits the limit per window across two instances, most requests without a round trip', async () => {
    const budgets = [RedisRateBudget.connect({ url: redis.url }), RedisRateBudget.connect({ url: redis.url })];
    await Promise.all(budgets.map(waitUntilConnected));
    const limiters = budgets.map((b) => new LeasedRateLimiter(b));
    try {
      let admitted = 0;
      // All within one window: right after a second of the clock begins.
      await startOfWindow(1_000, 1_000);
      for (let i = 0; i < 1_500; i++) if ((await limiters[i % 2].check('key:accuracy', 1_000)).allowed) admitted++;
      const leases = limiters.reduce((n, l) => n + l.stats().leases, 0);
      expect(admitted).toBeGreaterThanOrEqual(950);
      expect(admitted).toBeLessThanOrEqual(1_000);
      expect(leases).toBeLessThan(60);
    } finally {
      await Promise.all(limiters.map((l) => l.close()));
      await Promise.all(budgets.map((b) => b.close()));
    }
  });

  it('fails open, counting in the instance alone, while Redis is down; shares again when it is back', async () => {
    const failures: unknown[] = [];
    const budget = RedisRateBudget.connect({ url: redis.url, commandTimeoutMs: 100 });
    await waitUntilConnected(budget);
    const limiter = new LeasedRateLimiter(budget, { storeRetryMs: 100, onStoreFailure: (e) => failures.push(e) });
    try {
      await redis.stop();
      let admitted = 0;
      for (let i = 0; i < 20; i++) if ((await limiter.check('key:outage', 10)).allowed) admitted++;
      expect(admitted).toBe(10);
      expect(failures.length).toBeGreaterThanOrEqual(1);
      redis = await startRedisServer({ port: redis.port });
      await waitUntilConnected(budget);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await limiter.check('key:after', 10)).toMatchObject({ allowed: true });
      expect(limiter.stats().storeFailures).toBe(failures.length);
    } finally {
      await limiter.close();
      await budget.close();
    }
  });
});
