import { bnplCatalog } from '@bnpl/feature-definitions';
import { startRedisCluster, startRedisServer } from '@bnpl/service-launchers';
import { createOnlineStore } from './online-store.module';

// The connection contract (ping answers when up, fails fast when down) against every backend.
describe('online store connection contract', () => {
  it('memory: answers until closed', async () => {
    const store = createOnlineStore({ type: 'memory', namespace: 'contract' }, bnplCatalog);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it('redis: answers, then fails fast when the server dies', async () => {
    const redis = await startRedisServer();
    const store = createOnlineStore({ type: 'redis', url: redis.url }, bnplCatalog);
    try {
      for (let i = 0; i < 50 && store.kind === 'redis'; i++) {
        if (await store.ping().then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await expect(store.ping()).resolves.toBeUndefined();
      await redis.kill();
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await expect(store.ping()).rejects.toThrow(/not connected|Connection is closed|ECONNREFUSED/);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await store.close();
      await redis.stop();
    }
  });

  it('redis-cluster: answers through a real 3-node cluster', async () => {
    const cluster = await startRedisCluster(3);
    const store = createOnlineStore({ type: 'redis-cluster', nodes: [...cluster.nodes] }, bnplCatalog);
    try {
      const deadline = Date.now() + 5_000;
      let ok = false;
      while (!ok && Date.now() < deadline) {
        ok = await store.ping().then(() => true, () => false);
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
      expect(store.kind).toBe('redis-cluster');
    } finally {
      await store.close();
      await cluster.stop();
    }
  });
});
