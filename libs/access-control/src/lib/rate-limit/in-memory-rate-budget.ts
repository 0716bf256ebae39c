import type { BudgetGrant, RateBudget } from './rate-budget.port';

/**
 * The reference RateBudget, in process memory: exact for one process (a stack in one process, tests), and
 * the fallback each instance counts on alone while the shared budget is unreachable. Windows are aligned
 * to the clock (seconds since the epoch, for 1-second windows), as they are in Redis.
 */
export class InMemoryRateBudget implements RateBudget {
  private readonly windows = new Map<string, { endsAt: number; used: number }>();
  private lastSweep = 0;

  constructor(
    readonly windowMs = 1_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async take(key: string, wanted: number, limit: number): Promise<BudgetGrant> {
    return this.takeNow(key, wanted, limit);
  }

  /** `take`, synchronously. */
  takeNow(key: string, wanted: number, limit: number): BudgetGrant {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { endsAt: (Math.floor(now / this.windowMs) + 1) * this.windowMs, used: 0 };
      this.windows.set(key, window);
    }
    const granted = Math.max(0, Math.min(wanted, limit - window.used));
    window.used += granted;
    return { granted, remaining: Math.max(0, limit - window.used), windowEndsInMs: window.endsAt - now };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  /** Drops ended windows now and then, so that memory follows the keys in use, not every key ever seen. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10 * this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
