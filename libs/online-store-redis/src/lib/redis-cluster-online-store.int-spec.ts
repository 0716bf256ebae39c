import { Redis } from 'ioredis';
import { startRedisCluster, type RunningRedisCluster } from '@bnpl/testing';
import { describeOnlineStoreContract, contractCatalog } from '@bnpl/online-store';
import { clusterSlot, entityHashKey } from './redis-keys';
import { RedisOnlineStore } from './redis-online-store';

let cluster: RunningRedisCluster;

describeOnlineStoreContract('redis-cluster (3 nodes)', async () => {
  cluster = await startRedisCluster(3);
  const open = () => RedisOnlineStore.cluster([...cluster.nodes], { catalog: contractCatalog });
  const store = open();
  return {
    store,
    openAnother: open,
    dispose: async () => {
      await store.close();
      await cluster.stop();
    },
  };
});

describe('redis-cluster specifics', () => {
  let running: RunningRedisCluster;
  let store: RedisOnlineStore;
  let nodes: Redis[];

  beforeAll(async () => {
    running = await startRedisCluster(3);
    store = RedisOnlineStore.cluster([...running.nodes], { catalog: contractCatalog });
    nodes = running.nodes.map((n) => new Redis({ host: n.host, port: n.port, lazyConnect: false }));
    const deadline = Date.now() + 10_000;
    while (!(await store.ping().then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('cluster not ready');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await store?.close();
    nodes?.forEach((n) => n.disconnect());
    await running?.stop();
  });

  it('computes the same slot as the server', async () => {
    for (const key of ['123456789', 'foo', entityHashKey('c:1'), entityHashKey('m:987654321'), 'a{}b', 'x{y}z']) {
      expect(clusterSlot(key)).toBe(await nodes[0].cluster('KEYSLOT', key));
    }
  });

  it('differs from the server only for a key whose first hash tag is empty, which the layout never makes', async () => {
    // cluster-key-slot (the function ioredis routes with) hashes "{}x{y}" by its second tag, the server by
    // the whole key. Our grouping must agree with ioredis' routing, so it follows the library; entity
    // tags are never empty, so no key of ours is affected (README, "Redis key layout").
    expect(clusterSlot('{}x{y}')).not.toBe(await nodes[0].cluster('KEYSLOT', '{}x{y}'));
    expect(entityHashKey('c:1')).not.toContain('{}');
  });

  it('reads and writes entities spread over every node, one pipeline per node', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => ({ entity: 'customer', id: String(5_000_000 + i) }));
    const before = await Promise.all(nodes.map(commandCalls));
    await expect(store.write(keys.map((key, i) => ({ key, view: 'customer_profile', values: { kyc_level: i }, eventTime: new Date(i) })))).resolves.toEqual({
      written: 300,
      skipped: 0,
    });
    const result = await store.read(keys, ['customer_profile', 'customer_exposure']);
    result.forEach(([prof, exposure], i) => {
      expect(prof?.values['kyc_level']).toBe(i);
      expect(exposure).toBeNull();
    });
    // Every node holds some of the entities...
    const sizes = await Promise.all(nodes.map((n) => n.dbsize()));
    expect(sizes.every((s) => s > 0)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    // ... and served exactly its own share of the HMGETs (nothing was redirected).
    const after = await Promise.all(nodes.map(commandCalls));
    after.forEach((calls, n) => expect(calls.hmget - before[n].hmget).toBe(sizes[n]));
  });
});

async function commandCalls(node: Redis): Promise<{ hmget: number }> {
  const info = await node.info('commandstats');
  const hmget = /cmdstat_hmget:calls=(\d+)/.exec(info);
  return { hmget: hmget ? Number(hmget[1]) : 0 };
}
