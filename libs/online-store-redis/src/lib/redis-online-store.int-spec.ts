import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import { describeOnlineStoreContract, contractCatalog } from '@bnpl/online-store';
import { RedisOnlineStore } from './redis-online-store';

describeOnlineStoreContract('redis (standalone)', async () => {
  let redis: RunningRedis = await startRedisServer();
  const port = redis.port;
  const open = () => RedisOnlineStore.standalone(redis.url, { catalog: contractCatalog });
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
