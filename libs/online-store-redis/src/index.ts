// Public API of @bnpl/online-store-redis: the OnlineStore port over Redis (standalone, Cluster, Sentinel).
// ioredis is loaded only when a Redis store is built.
export { RedisOnlineStore, defaultKeyTtlSeconds, type RedisOnlineStoreOptions } from './lib/redis-online-store';
export { STREAM_WATERMARK_KEY, clusterSlot, entityHashKey } from './lib/redis-keys';
