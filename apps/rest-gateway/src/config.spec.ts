import { ConfigError } from '@bnpl/platform';
import { loadRestGatewayConfig } from './config';

describe('rest-gateway config', () => {
  it('defaults to port 3000, Redis on localhost, L1 on and Google Pub/Sub', () => {
    const config = loadRestGatewayConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/bnpl', PUBSUB_PROJECT_ID: 'bnpl-prod' });
    expect(config.PORT).toBe(3000);
    expect(config.ONLINE_STORE).toBe('redis');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.ONLINE_STORE_L1_MAX_ENTRIES).toBe(200_000);
    expect(config.MESSAGING).toBe('pubsub');
  });

  it('needs the Pub/Sub project unless messaging is in-process', () => {
    expect(() => loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db' })).toThrow(/PUBSUB_PROJECT_ID: is required when MESSAGING=pubsub/);
    expect(loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', MESSAGING: 'memory' }).MESSAGING).toBe('memory');
  });

  it('runs one process unless SERVING_WORKERS asks for a pool of 1 to 64', () => {
    expect(loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local' }).SERVING_WORKERS).toBe(1);
    expect(loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '4' }).SERVING_WORKERS).toBe(4);
    expect(() => loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '0' })).toThrow(/SERVING_WORKERS: must be > 0/);
    expect(() => loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '65' })).toThrow(/SERVING_WORKERS: must be at most 64/);
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadRestGatewayConfig({ PORT: '-1', ONLINE_STORE: 'redis-cluster', REDIS_CLUSTER_NODES: 'nohostport' })).toThrow(ConfigError);
    expect(() => loadRestGatewayConfig({ PORT: '-1' })).toThrow(/PORT: must be 1..65535[\s\S]*DATABASE_URL/);
    expect(() => loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', REDIS_CLUSTER_NODES: 'a:1,b' })).toThrow(/REDIS_CLUSTER_NODES: must be a comma-separated list of host:port/);
    expect(() => loadRestGatewayConfig({ DATABASE_URL: 'postgres://h/db', ONLINE_STORE: 'redis-cluster' })).toThrow(/REDIS_CLUSTER_NODES: is required when ONLINE_STORE=redis-cluster/);
  });
});
