import { Redis } from 'ioredis';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import type { OnlineRow } from '@bnpl/online-store';
import { entityHashKey } from './redis-keys';
import { RedisOnlineStore } from './redis-online-store';

// Sizing: what one customer with every BNPL view costs in Redis (default server settings, 64-bit).
// The bound is what README.md quotes for capacity planning; a format change that grows it fails here.
const CUSTOMERS = 1_000;
const MEAN_BYTES_BOUND = 400;

describe('redis memory per customer', () => {
  let redis: RunningRedis;
  let store: RedisOnlineStore;
  let raw: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    store = RedisOnlineStore.standalone(redis.url, { catalog: bnplCatalog });
    raw = new Redis(redis.url);
    const deadline = Date.now() + 10_000;
    while (!(await store.ping().then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('redis not ready');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await store?.close();
    raw?.disconnect();
    await redis?.stop();
  });

  it(`is below ${MEAN_BYTES_BOUND} bytes per customer key with the full catalog`, async () => {
    const random = mulberry32(42);
    const int = (max: number) => Math.floor(random() * (max + 1));
    const rows: OnlineRow[] = [];
    const eventTime = new Date('2025-03-15T02:00:00.000Z');
    for (let i = 0; i < CUSTOMERS; i++) {
      // Realistic ids (7-8 digits) and values: a mid-sized customer base in EUR.
      const key = { entity: 'customer', id: String(1_000_000 + i * 37) };
      const limit = 50_000 + int(20) * 25_000;
      const outstanding = int(limit);
      const orders90 = int(12);
      rows.push(
        { key, view: 'customer_profile', eventTime, values: { account_age_days: int(2_000), kyc_level: int(3), country: 'DE', account_status: 'active' } },
        {
          key,
          view: 'customer_exposure',
          eventTime,
          values: {
            active_plans_count: int(6),
            outstanding_balance: { amountMinor: outstanding, currency: 'EUR' },
            overdue_balance: { amountMinor: int(outstanding / 10), currency: 'EUR' },
            credit_limit: { amountMinor: limit, currency: 'EUR' },
            utilization: outstanding / limit,
          },
        },
        {
          key,
          view: 'customer_repayment',
          eventTime,
          values: { late_installments_90d: int(3), missed_payments_30d: int(1), on_time_rate_365d: random(), max_days_past_due_365d: int(40), failed_payment_attempts_7d: int(2) },
        },
        {
          key,
          view: 'customer_spending',
          eventTime,
          values: {
            orders_30d: int(5),
            order_amount_sum_30d: { amountMinor: int(80_000), currency: 'EUR' },
            avg_order_amount_90d: orders90 === 0 ? null : { amountMinor: 1_000 + int(30_000), currency: 'EUR' },
            distinct_merchants_30d: int(4),
          },
        },
      );
    }
    await expect(store.write(rows)).resolves.toEqual({ written: rows.length, skipped: 0 });

    const keys = rows.filter((_, n) => n % 4 === 0).map((r) => entityHashKey(`c:${r.key.id}`));
    const pipeline = raw.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const usages = (await pipeline.exec())?.map(([, v]) => Number(v)) ?? [];
    const mean = usages.reduce((a, b) => a + b, 0) / usages.length;
    const valueBytes = (await raw.hstrlen(keys[0], 'customer_exposure')) + (await raw.hstrlen(keys[0], 'customer_profile'));
    const encoding = await raw.object('ENCODING', keys[0]);
    console.log(
      `MEMORY USAGE per customer key (${CUSTOMERS} customers, 4 views): mean ${mean.toFixed(1)} B, min ${Math.min(...usages)} B, max ${Math.max(...usages)} B; ` +
        `encoding ${encoding}; exposure+profile values ${valueBytes} B`,
    );
    expect(usages).toHaveLength(CUSTOMERS);
    expect(encoding).toBe('listpack');
    expect(mean).toBeLessThan(MEAN_BYTES_BOUND);
  });
});

/** A small seeded PRNG, so the figure is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
