import { InMemoryRateBudget } from './in-memory-rate-budget';
import { LeasedRateLimiter, type RateLimitDecision } from './leased-rate-limiter';
import type { BudgetGrant, RateBudget } from './rate-budget.port';

/** A shared budget over the in-memory one, counting calls and able to fail or hold them. */
class ProbeBudget implements RateBudget {
  readonly windowMs = 1_000;
  calls = 0;
  failing = false;
  gate?: Promise<void>;
  constructor(private readonly inner: InMemoryRateBudget) {}
  async take(key: string, wanted: number, limit: number): Promise<BudgetGrant> {
    this.calls++;
    await this.gate;
    if (this.failing) throw new Error('redis down');
    return this.inner.take(key, wanted, limit);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const settle = (d: RateLimitDecision | Promise<RateLimitDecision>) => Promise.resolve(d);

describe('LeasedRateLimiter', () => {
  let now: number;
  let shared: InMemoryRateBudget;
  let budget: ProbeBudget;

  beforeEach(() => {
    now = 1_000_000;
    shared = new InMemoryRateBudget(1_000, () => now);
    budget = new ProbeBudget(shared);
  });

  const limiter = (options: ConstructorParameters<typeof LeasedRateLimiter>[1] = {}) => new LeasedRateLimiter(budget, { clock: () => now, ...options });

  it('admits most requests from memory: one budget call per lease', async () => {
    const rl = limiter({ leaseFraction: 0.1 });
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < 100; i++) decisions.push(await settle(rl.check('k', 1_000)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    // Leases of 100 with the next fetched in the background when 25 are left: about 2 calls, never 100.
    expect(budget.calls).toBeLessThanOrEqual(3);
    const sync = rl.check('k', 1_000);
    expect(sync).not.toBeInstanceOf(Promise);
    expect(sync).toMatchObject({ allowed: true, limit: 1_000 });
  });

  it('admits exactly the limit per window across instances, then refuses from memory until the window ends', async () => {
    const a = limiter({ leaseFraction: 0.05 });
    const b = limiter({ leaseFraction: 0.05 });
    let admitted = 0;
    let refused: RateLimitDecision | undefined;
    for (let i = 0; i < 300; i++) {
      const d = await settle((i % 2 ? a : b).check('k', 100));
      if (d.allowed) admitted++;
      else refused ??= d;
    }
    expect(admitted).toBe(100);
    expect(refused).toMatchObject({ allowed: false, limit: 100, remaining: 0 });
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(1_000);
    const calls = budget.calls;
    expect(a.check('k', 100)).toMatchObject({ allowed: false });
    expect(budget.calls).toBe(calls);
    now += 1_000;
    expect(await settle(a.check('k', 100))).toMatchObject({ allowed: true });
  });

  it('lets tokens leased in one window expire with it', async () => {
    const rl = limiter({ leaseFraction: 0.5 });
    expect(await settle(rl.check('k', 10))).toMatchObject({ allowed: true, remaining: 9 });
    now += 1_000;
    // 4 tokens were held for the old window; the new one starts from the budget, not from them.
    for (let i = 0; i < 10; i++) expect(await settle(rl.check('k', 10))).toMatchObject({ allowed: true });
    expect(await settle(rl.check('k', 10))).toMatchObject({ allowed: false });
  });

  it('shares one lease between concurrent callers', async () => {
    const rl = limiter({ leaseFraction: 0.05 });
    let open!: () => void;
    budget.gate = new Promise((r) => (open = r));
    const waiting = Array.from({ length: 5 }, () => settle(rl.check('k', 1_000)));
    open();
    expect((await Promise.all(waiting)).every((d) => d.allowed)).toBe(true);
    expect(budget.calls).toBe(1);
  });

  it('fails open when the shared budget is down: counts alone, reports it, asks again later', async () => {
    const failures: unknown[] = [];
    const states: boolean[] = [];
    const rl = limiter({ onStoreFailure: (e) => failures.push(e), onStoreStateChange: (up) => states.push(up), storeRetryMs: 1_000 });
    budget.failing = true;
    let admitted = 0;
    for (let i = 0; i < 30; i++) if ((await settle(rl.check('k', 20))).allowed) admitted++;
    // This instance still holds the key to its limit on its own.
    expect(admitted).toBe(20);
    expect(failures).toHaveLength(1);
    expect(states).toEqual([false]);
    expect(rl.stats()).toMatchObject({ storeFailures: 1, admitted: 20 });
    budget.failing = false;
    now += 1_001;
    expect(await settle(rl.check('k', 20))).toMatchObject({ allowed: true });
    expect(states).toEqual([false, true]);
  });

  it('keeps keys apart and gives limits per key', async () => {
    const rl = limiter();
    for (let i = 0; i < 3; i++) expect(await settle(rl.check('a', 3))).toMatchObject({ allowed: true });
    expect(await settle(rl.check('a', 3))).toMatchObject({ allowed: false });
    expect(await settle(rl.check('b', 5))).toMatchObject({ allowed: true, limit: 5 });
  });
});
