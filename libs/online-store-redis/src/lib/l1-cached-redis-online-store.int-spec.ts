import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import { L1CachedOnlineStore } from '@bnpl/online-store';
import { describeOnlineStoreContract, contractCatalog } from '@bnpl/online-store';
import { RedisOnlineStore } from './redis-online-store';

describeOnlineStoreContract('L1 cache over redis (standalone)', async () => {
  let redis: RunningRedis = await startRedisServer();
  const port = redis.port;
  const open = () => new L1CachedOnlineStore(RedisOnlineStore.standalone(redis.url, { catalog: contractCatalog }), { maxEntries: 10_000, ttlMs: 5_000 });
  const store = open();
  return {
    store,
    openAnother: open,
    outage: {
      kill: () => redis.kill(),
      restart: async () => {
        redis = await startRedisServer({ port });
      },
    },
    dispose: async () => {
      await store.close();
      await redis.stop();
    },
  };
});
