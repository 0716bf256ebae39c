import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '@bnpl/testing';
import { describeOnlineStoreContract, contractCatalog, entityTag, type OnlineRow } from '@bnpl/online-store';
import { entityHashKey } from './redis-keys';
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

describe('redis (standalone): the if-newer script against what it finds', () => {
  let redis: RunningRedis;
  let store: RedisOnlineStore;
  let raw: Redis;
  const key = { entity: 'customer', id: '7100' };
  const hash = () => entityHashKey(entityTag(contractCatalog, key));
  const row = (kyc: number, ms: number): OnlineRow => ({ key, view: 'customer_profile', values: { kyc_level: kyc }, eventTime: new Date(ms) });

  beforeAll(async () => {
    redis = await startRedisServer();
    store = RedisOnlineStore.standalone(redis.url, { catalog: contractCatalog });
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await store?.close();
    raw?.disconnect();
    await redis?.stop();
  });

  it('replaces a stored value it cannot read (not MessagePack, or no event time first), leaving other fields alone', async () => {
    for (const garbage of ['\xc1not msgpack', '\x92\xa1x\x01']) {
      await raw.del(hash());
      await raw.hset(hash(), 'customer_profile', garbage, 'other', 'kept');
      await expect(store.write([row(3, 1_000), row(4, 900)])).resolves.toEqual({ written: 1, skipped: 1 });
      await expect(store.read([key], ['customer_profile'])).resolves.toEqual([[expect.objectContaining({ eventTime: new Date(1_000) })]]);
      await expect(raw.hget(hash(), 'other')).resolves.toBe('kept');
    }
  });

  it('sets the expiry only on a hash it changed', async () => {
    await raw.del(hash());
    await store.write([row(1, 2_000)]);
    await raw.persist(hash());
    await expect(store.write([row(2, 1_500)])).resolves.toEqual({ written: 0, skipped: 1 });
    await expect(raw.ttl(hash())).resolves.toBe(-1);
    await store.write([row(2, 2_500)]);
    await expect(raw.ttl(hash())).resolves.toBeGreaterThan(0);
  });
});
