import { Redis } from 'ioredis';

export interface RedisStats {
  /** DBSIZE: keys in the database (one hash per entity). */
  readonly keys: number;
  /** INFO memory `used_memory`. */
  readonly usedMemoryBytes: number;
  readonly usedMemoryHuman: string;
}

/** Key count and memory of a Redis server, over one short-lived connection. */
export async function readRedisStats(url: string): Promise<RedisStats> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const keys = await client.dbsize();
    const info = await client.info('memory');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
    return { keys, usedMemoryBytes: Number(field('used_memory')), usedMemoryHuman: field('used_memory_human') };
  } finally {
    client.disconnect();
  }
}
