import { Cluster, Redis } from 'ioredis';
import { type OnlineStore } from '../lib/online-store.port';

// Fail fast instead of queueing commands while disconnected: a dead Redis must cost the read path one
// quick error (then it falls back to PostgreSQL), never a request that waits for a reconnect.
const FAIL_FAST = { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000, lazyConnect: false } as const;

/** Redis standalone or Redis Cluster, through ioredis. */
export class RedisOnlineStore implements OnlineStore {
  readonly kind: string;

  private constructor(private readonly client: Redis | Cluster) {
    this.kind = client instanceof Cluster ? 'redis-cluster' : 'redis';
    // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
    client.on('error', () => undefined);
  }

  static standalone(url: string): RedisOnlineStore {
    return new RedisOnlineStore(new Redis(url, { ...FAIL_FAST, retryStrategy: (n) => Math.min(n * 100, 2_000) }));
  }

  static cluster(nodes: Array<{ host: string; port: number }>): RedisOnlineStore {
    return new RedisOnlineStore(
      new Cluster(nodes, {
        enableOfflineQueue: false,
        clusterRetryStrategy: (n) => Math.min(n * 100, 2_000),
        redisOptions: { maxRetriesPerRequest: 0, connectTimeout: 2_000 },
      }),
    );
  }

  async ping(): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`${this.kind} is not connected (${this.client.status})`);
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
