import type { Redis } from 'ioredis';
import type { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { BudgetGrant, RateBudget } from '@bnpl/access-control';
import { tlsSafeConnector } from '@bnpl/redis-connection';

export interface RedisRateBudgetOptions {
  /** redis:// or rediss:// URL of a standalone Redis (or a Sentinel-managed master reached directly). */
  readonly url: string;
  /** Per-command timeout in ms (default 200): a slow Redis must cost the limiter a bounded wait, then its fallback. */
  readonly commandTimeoutMs?: number;
  /** PEM CA certificates verifying a `rediss://` server under a private CA (Node's bundled CAs otherwise); ignored for `redis://`. */
  readonly tlsCa?: Buffer;
  /** Key prefix (default `fs:v1:rl`), beside the online store's `fs:v1:` keys. */
  readonly keyPrefix?: string;
  /** Milliseconds since the epoch (default Date.now): windows are the clock's seconds. */
  readonly clock?: () => number;
}

/** The drivers, loaded when a Redis budget is built: a process counting in memory loads neither. */
function drivers(): { ioredis: typeof import('ioredis'); flexible: typeof import('rate-limiter-flexible') } {
  return { ioredis: require('ioredis') as typeof import('ioredis'), flexible: require('rate-limiter-flexible') as typeof import('rate-limiter-flexible') };
}

const WINDOW_SECONDS = 1;

/**
 * The shared RateBudget in Redis, counted by rate-limiter-flexible's `RateLimiterRedis`: one key per
 * principal and second of the clock (`<prefix>:<principal id>:<epoch second>`), incremented atomically by
 * its Lua script and expiring a second after its window. Windows aligned to the clock follow each other
 * without gaps (a window that started at a key's first request would leave a gap after each one, until the
 * next request came); the price is that instances must agree on the time: a skew of d ms between two of
 * them lets them count in different windows for d ms (NTP keeps d to a few ms).
 *
 * rate-limiter-flexible refuses a consume that would pass the limit but still counts it; the budget then
 * grants the part that was left before that consume (`limit - (consumed - wanted)`), so the instance
 * whose take crosses the limit gets the last tokens and the total granted per window is exactly the limit.
 *
 * Fails fast: no offline queue, a short command timeout, so that an unreachable Redis rejects at once
 * and the limiter falls back (fails open) instead of queueing requests.
 */
export class RedisRateBudget implements RateBudget {
  readonly windowMs = WINDOW_SECONDS * 1_000;
  private readonly limiters = new Map<number, RateLimiterRedis>();
  private readonly keyPrefix: string;
  private readonly clock: () => number;

  private constructor(
    private readonly client: Redis,
    private readonly flexible: typeof import('rate-limiter-flexible'),
    options: RedisRateBudgetOptions,
  ) {
    this.keyPrefix = options.keyPrefix ?? 'fs:v1:rl';
    this.clock = options.clock ?? Date.now;
    // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
    client.on('error', () => undefined);
  }

  static connect(options: RedisRateBudgetOptions): RedisRateBudget {
    const { ioredis, flexible } = drivers();
    const client = new ioredis.Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 200,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      // rediss:// alone turns TLS on in ioredis; an explicit `tls` adds the private CA.
      ...(options.url.startsWith('rediss://') ? { ...(options.tlsCa ? { tls: { ca: options.tlsCa } } : {}), Connector: tlsSafeConnector() } : {}),
    });
    return new RedisRateBudget(client, flexible, options);
  }

  async take(key: string, wanted: number, limit: number): Promise<BudgetGrant> {
    const now = this.clock();
    const second = Math.floor(now / this.windowMs);
    // Counted from before the call: the window ends at the next second whatever the round trip took.
    const windowEndsInMs = Math.max(1, (second + 1) * this.windowMs - now);
    try {
      const res = await this.limiter(limit).consume(`${key}:${second}`, wanted);
      return { granted: wanted, remaining: res.remainingPoints, windowEndsInMs };
    } catch (refusal) {
      if (!(refusal instanceof this.flexible.RateLimiterRes)) throw refusal;
      const res = refusal as RateLimiterRes;
      const before = res.consumedPoints - wanted;
      return { granted: Math.max(0, Math.min(wanted, limit - before)), remaining: 0, windowEndsInMs };
    }
  }

  /** Answers PONG, or rejects: for readiness-style checks and tests. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** One limiter per distinct limit (rate-limiter-flexible fixes `points` per instance); all share the key layout. */
  private limiter(limit: number): RateLimiterRedis {
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      // Each second has a key of its own; it expires a second after its window (the duration here is only its lifetime).
      limiter = new this.flexible.RateLimiterRedis({ storeClient: this.client, keyPrefix: this.keyPrefix, points: limit, duration: 2 * WINDOW_SECONDS, rejectIfRedisNotReady: true });
      this.limiters.set(limit, limiter);
    }
    return limiter;
  }
}
