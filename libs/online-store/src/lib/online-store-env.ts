import { z } from 'zod';
import { env } from '@bnpl/platform';
import { type OnlineStoreOptions } from './online-store.port';

const hostPort = /^[^\s:,]+:\d{1,5}$/;

/** The environment variables every service uses to reach the online store; see toOnlineStoreOptions. */
export const onlineStoreEnvSchema = z.object({
  ONLINE_STORE: env.oneOf(['redis', 'redis-cluster', 'memory'] as const, 'redis'),
  REDIS_URL: env.url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /** host:port,host:port — seed nodes when ONLINE_STORE=redis-cluster. */
  REDIS_CLUSTER_NODES: z
    .string()
    .refine((v) => v.split(',').every((n) => hostPort.test(n.trim())), { message: 'must be a comma-separated list of host:port' })
    .optional(),
});

export function toOnlineStoreOptions(config: z.infer<typeof onlineStoreEnvSchema>): OnlineStoreOptions {
  switch (config.ONLINE_STORE) {
    case 'redis':
      return { type: 'redis', url: config.REDIS_URL };
    case 'memory':
      return { type: 'memory' };
    case 'redis-cluster': {
      if (!config.REDIS_CLUSTER_NODES) throw new Error('REDIS_CLUSTER_NODES is required when ONLINE_STORE=redis-cluster');
      return {
        type: 'redis-cluster',
        nodes: config.REDIS_CLUSTER_NODES.split(',').map((n) => {
          const [host, port] = n.trim().split(':');
          return { host, port: Number(port) };
        }),
      };
    }
  }
}
