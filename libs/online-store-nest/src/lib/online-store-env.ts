import { z } from 'zod';
import { caFileProblems, env, loadCaFile } from '@bnpl/platform';
import { type OnlineStoreOptions } from './online-store-options';

const hostPort = /^[^\s:,]+:\d{1,5}$/;
const hostPortList = z
  .string()
  .refine((v) => v.split(',').every((n) => hostPort.test(n.trim())), { message: 'must be a comma-separated list of host:port' });

/** `ONLINE_STORE_L1_MAX_ENTRIES` with a service's own default (the serving apps turn L1 on by default). */
export function l1MaxEntries(defaultValue: number) {
  return z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be >= 0').default(defaultValue);
}

/** The environment variables every service uses to reach the online store; see toOnlineStoreOptions. */
export const onlineStoreEnvSchema = z.object({
  ONLINE_STORE: env.oneOf(['redis', 'redis-cluster', 'redis-sentinel', 'memory'] as const, 'redis'),
  REDIS_URL: env.url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /** PEM CA certificates that sign a `rediss://` server's certificate (a private CA); Node's bundled CAs otherwise. */
  REDIS_CA_FILE: z.string().optional(),
  /** host:port,host:port — seed nodes when ONLINE_STORE=redis-cluster. */
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  /** host:port,host:port — the sentinels when ONLINE_STORE=redis-sentinel. */
  REDIS_SENTINELS: hostPortList.optional(),
  /** The master group name the sentinels monitor. */
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  /** Entries of the in-process L1 cache in front of the store; 0 (the default) turns it off. */
  ONLINE_STORE_L1_MAX_ENTRIES: l1MaxEntries(0),
  /** How long an L1 entry is served without asking the store, in ms. */
  ONLINE_STORE_L1_TTL_MS: env.positiveInt(1_000),
});

/** Cross-variable rules; pass to loadConfig so a missing variable stops the service with its name. */
export function checkOnlineStoreEnv(config: z.infer<typeof onlineStoreEnvSchema>): Array<{ variable: string; message: string }> {
  if (config.REDIS_CA_FILE !== undefined) {
    const problems = caFileProblems('REDIS_CA_FILE', config.REDIS_CA_FILE);
    if (problems.length) return problems;
  }
  if (config.ONLINE_STORE === 'redis-cluster' && !config.REDIS_CLUSTER_NODES) return [{ variable: 'REDIS_CLUSTER_NODES', message: 'is required when ONLINE_STORE=redis-cluster' }];
  if (config.ONLINE_STORE === 'redis-sentinel' && !config.REDIS_SENTINELS) return [{ variable: 'REDIS_SENTINELS', message: 'is required when ONLINE_STORE=redis-sentinel' }];
  return [];
}

export function toOnlineStoreOptions(config: z.infer<typeof onlineStoreEnvSchema>): OnlineStoreOptions {
  const l1 = config.ONLINE_STORE_L1_MAX_ENTRIES > 0 ? { l1: { maxEntries: config.ONLINE_STORE_L1_MAX_ENTRIES, ttlMs: config.ONLINE_STORE_L1_TTL_MS } } : {};
  switch (config.ONLINE_STORE) {
    case 'redis':
      return { type: 'redis', url: config.REDIS_URL, ...redisTls(config), ...l1 };
    case 'memory':
      return { type: 'memory', ...l1 };
    case 'redis-cluster': {
      if (!config.REDIS_CLUSTER_NODES) throw new Error('REDIS_CLUSTER_NODES is required when ONLINE_STORE=redis-cluster');
      return { type: 'redis-cluster', nodes: parseHostPorts(config.REDIS_CLUSTER_NODES), ...l1 };
    }
    case 'redis-sentinel': {
      if (!config.REDIS_SENTINELS) throw new Error('REDIS_SENTINELS is required when ONLINE_STORE=redis-sentinel');
      return { type: 'redis-sentinel', sentinels: parseHostPorts(config.REDIS_SENTINELS), name: config.REDIS_SENTINEL_NAME, ...l1 };
    }
  }
}

/** The private CA of a `rediss://` REDIS_URL, read at start-up (checkOnlineStoreEnv has checked it). */
function redisTls(config: z.infer<typeof onlineStoreEnvSchema>): { tlsCa?: Buffer } {
  return config.REDIS_CA_FILE !== undefined && config.REDIS_URL.startsWith('rediss://') ? { tlsCa: loadCaFile('the online store', 'REDIS_CA_FILE', config.REDIS_CA_FILE) } : {};
}

function parseHostPorts(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((n) => {
    const [host, port] = n.trim().split(':');
    return { host, port: Number(port) };
  });
}
