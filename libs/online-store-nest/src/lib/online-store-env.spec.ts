import { loadConfig } from '@bnpl/platform';
import { onlineStoreEnvSchema, toOnlineStoreOptions } from './online-store-env';

const load = (env: Record<string, string>) => toOnlineStoreOptions(loadConfig('test', onlineStoreEnvSchema, env));

describe('online store environment', () => {
  it('defaults to a local Redis without L1', () => {
    expect(load({})).toEqual({ type: 'redis', url: 'redis://127.0.0.1:6379' });
  });

  it('reads cluster nodes and sentinels', () => {
    expect(load({ ONLINE_STORE: 'redis-cluster', REDIS_CLUSTER_NODES: 'a:1, b:2' })).toEqual({ type: 'redis-cluster', nodes: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] });
    expect(load({ ONLINE_STORE: 'redis-sentinel', REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'features' })).toEqual({
      type: 'redis-sentinel',
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
      name: 'features',
    });
    expect(() => load({ ONLINE_STORE: 'redis-sentinel' })).toThrow(/REDIS_SENTINELS is required/);
    expect(() => load({ ONLINE_STORE: 'redis-sentinel', REDIS_SENTINELS: 'nope' })).toThrow(/REDIS_SENTINELS/);
  });

  it('turns L1 on with a positive size', () => {
    expect(load({ ONLINE_STORE: 'memory', ONLINE_STORE_L1_MAX_ENTRIES: '5000', ONLINE_STORE_L1_TTL_MS: '250' })).toEqual({ type: 'memory', l1: { maxEntries: 5000, ttlMs: 250 } });
    expect(() => load({ ONLINE_STORE_L1_MAX_ENTRIES: '-1' })).toThrow(/ONLINE_STORE_L1_MAX_ENTRIES/);
  });
});
