import { InMemoryRateBudget } from './in-memory-rate-budget';
import type { BudgetGrant, RateBudget } from './rate-budget.port';

/** The answer for one request. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Requests per window the key may make. */
  readonly limit: number;
  /** About how many are left in this window (exact for one instance, an estimate across several). */
  readonly remaining: number;
  /** When the window ends, in ms from now. */
  readonly resetMs: number;
  /** When to try again, in ms from now; 0 when allowed. */
  readonly retryAfterMs: number;
}

export interface LeasedRateLimiterOptions {
  /** Share of a key's limit taken from the shared budget at once (default 0.05). */
  readonly leaseFraction?: number;
  /** The most taken at once (default 100): bounds what an idle instance may hold unused. */
  readonly maxLease?: number;
  /** After the shared budget fails, count in this instance alone for this long before asking it again (ms, default 1000). */
  readonly storeRetryMs?: number;
  /** Each failure of the shared budget (for a metric). */
  readonly onStoreFailure?: (error: unknown) => void;
  /** The shared budget became unreachable (with the error) or reachable again: for one log line each. */
  readonly onStoreStateChange?: (reachable: boolean, error?: unknown) => void;
  readonly clock?: () => number;
}

export interface RateLimiterStats {
  readonly admitted: number;
  readonly limited: number;
  /** Calls of the shared budget. */
  readonly leases: number;
  readonly storeFailures: number;
}

interface Bucket {
  /** Requests this instance may admit before the window ends without asking the budget. */
  tokens: number;
  windowEndsAt: number;
  /** What the budget said was left after the last grant. */
  remoteRemaining: number;
  /** Set when the budget is used up: nothing more is admitted here until then. */
  blockedUntil: number;
  leasing?: Promise<void>;
}

const SWEEP_EVERY_MS = 10_000;

/**
 * Per-key rate limits shared by every instance, with an in-process fast path: each instance takes a
 * slice of a key's budget (a lease of `leaseFraction` of its limit) from the shared RateBudget and admits
 * requests from it in memory, so an allowed request costs no round trip; the next lease is fetched in the
 * background before this one runs out. Leased tokens expire with the budget's window, so all instances
 * together never admit more than the limit per window; tokens leased and not used by the end of a window
 * are lost (at most one lease per instance and window).
 *
 * When the budget is used up the key is refused in memory until its window ends. When the shared budget
 * cannot answer (Redis down), the limiter fails open: it counts each key in this instance alone (so each
 * instance still admits at most the limit), reports each failure (`onStoreFailure`) and asks the shared
 * budget again after `storeRetryMs`.
 */
export class LeasedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly fallback: InMemoryRateBudget;
  private readonly clock: () => number;
  private readonly leaseFraction: number;
  private readonly maxLease: number;
  private readonly storeRetryMs: number;
  private storeDownUntil = 0;
  private storeReachable = true;
  private lastSweep = 0;
  private counts = { admitted: 0, limited: 0, leases: 0, storeFailures: 0 };

  constructor(
    private readonly budget: RateBudget,
    private readonly options: LeasedRateLimiterOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.leaseFraction = options.leaseFraction ?? 0.05;
    this.maxLease = options.maxLease ?? 100;
    this.storeRetryMs = options.storeRetryMs ?? 1_000;
    if (!(this.leaseFraction > 0 && this.leaseFraction <= 1) || !(this.maxLease >= 1)) throw new RangeError('rate limiter: 0 < leaseFraction <= 1, maxLease >= 1');
    this.fallback = new InMemoryRateBudget(budget.windowMs, this.clock);
  }

  /** Requests per window. */
  get windowMs(): number {
    return this.budget.windowMs;
  }

  /**
   * Admits or refuses one request of `key`, which may make `limit` requests per window. Synchronous when
   * this instance holds a token (or knows the budget is used up); otherwise after one lease. Never throws.
   */
  check(key: string, limit: number): RateLimitDecision | Promise<RateLimitDecision> {
    const now = this.clock();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: 0, windowEndsAt: 0, remoteRemaining: limit, blockedUntil: 0 };
      this.buckets.set(key, bucket);
    }
    const fast = this.decide(bucket, key, limit, now);
    return fast ?? this.slowPath(bucket, key, limit);
  }

  stats(): RateLimiterStats {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await Promise.all([...this.buckets.values()].map((b) => b.leasing));
    this.buckets.clear();
    await this.fallback.close();
  }

  /** The decision if it can be made from memory, else undefined. */
  private decide(bucket: Bucket, key: string, limit: number, now: number): RateLimitDecision | undefined {
    if (now >= bucket.windowEndsAt) bucket.tokens = 0;
    if (bucket.tokens > 0) {
      bucket.tokens--;
      this.counts.admitted++;
      if (!bucket.leasing && bucket.remoteRemaining > 0 && bucket.tokens <= this.lowWater(limit)) void this.lease(bucket, key, limit);
      return { allowed: true, limit, remaining: bucket.tokens + bucket.remoteRemaining, resetMs: bucket.windowEndsAt - now, retryAfterMs: 0 };
    }
    if (bucket.blockedUntil > now) {
      this.counts.limited++;
      return { allowed: false, limit, remaining: 0, resetMs: bucket.blockedUntil - now, retryAfterMs: bucket.blockedUntil - now };
    }
    return undefined;
  }

  private async slowPath(bucket: Bucket, key: string, limit: number): Promise<RateLimitDecision> {
    // Concurrent callers share a lease; one that finds it spent by the others asks again, a few times.
    for (let attempt = 0; attempt < 4; attempt++) {
      await this.lease(bucket, key, limit);
      const decision = this.decide(bucket, key, limit, this.clock());
      if (decision) return decision;
    }
    const wait = Math.max(1, bucket.windowEndsAt - this.clock());
    this.counts.limited++;
    return { allowed: false, limit, remaining: 0, resetMs: wait, retryAfterMs: wait };
  }

  private lowWater(limit: number): number {
    return Math.floor(this.leaseSize(limit) / 4);
  }

  private leaseSize(limit: number): number {
    return Math.max(1, Math.min(this.maxLease, Math.ceil(limit * this.leaseFraction), limit));
  }

  /** Takes a lease for `bucket` (one at a time per key; callers share it). Never rejects. */
  private lease(bucket: Bucket, key: string, limit: number): Promise<void> {
    if (bucket.leasing) return bucket.leasing;
    const wanted = this.leaseSize(limit);
    // The window's end is counted from when the lease was asked for: a slow answer (a busy event loop)
    // must not make this instance believe the window lasts longer than it does.
    const askedAt = this.clock();
    bucket.leasing = this.take(key, wanted, limit)
      .then((grant) => this.apply(bucket, grant, askedAt))
      .finally(() => (bucket.leasing = undefined));
    return bucket.leasing;
  }

  private apply(bucket: Bucket, grant: BudgetGrant, askedAt: number): void {
    const now = this.clock();
    const endsAt = askedAt + grant.windowEndsInMs;
    // A grant from another window than the tokens held: those expired with their window.
    const sameWindow = now < bucket.windowEndsAt && Math.abs(endsAt - bucket.windowEndsAt) < this.budget.windowMs / 10;
    bucket.tokens = (sameWindow ? bucket.tokens : 0) + grant.granted;
    bucket.windowEndsAt = endsAt;
    bucket.remoteRemaining = grant.remaining;
    if (grant.remaining === 0) bucket.blockedUntil = endsAt;
  }

  private async take(key: string, wanted: number, limit: number): Promise<BudgetGrant> {
    this.counts.leases++;
    if (this.clock() < this.storeDownUntil) return this.fallback.takeNow(key, wanted, limit);
    try {
      const grant = await this.budget.take(key, wanted, limit);
      if (!this.storeReachable) {
        this.storeReachable = true;
        this.options.onStoreStateChange?.(true);
      }
      return grant;
    } catch (error) {
      this.counts.storeFailures++;
      this.options.onStoreFailure?.(error);
      if (this.storeReachable) {
        this.storeReachable = false;
        this.options.onStoreStateChange?.(false, error);
      }
      this.storeDownUntil = this.clock() + this.storeRetryMs;
      return this.fallback.takeNow(key, wanted, limit);
    }
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (!bucket.leasing && bucket.windowEndsAt + SWEEP_EVERY_MS < now && bucket.blockedUntil < now) this.buckets.delete(key);
    }
  }
}
