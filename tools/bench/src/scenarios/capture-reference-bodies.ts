import { HttpFeatureClient } from '../targets/http-feature-client';

/**
 * rest-gateway's answers for customers 1..count with Redis up, by customer id: the baseline serves them
 * and the Redis-down scenario must serve the same values. Fails on the first customer not served: nothing
 * else is worth measuring then.
 */
export async function captureReferenceBodies(restUrl: string, merchants: number, count: number, headers: Readonly<Record<string, string>> = {}): Promise<Map<number, string>> {
  const client = new HttpFeatureClient(restUrl, merchants, 8, headers);
  const bodies = new Map<number, string>();
  try {
    let next = 1;
    const worker = async () => {
      for (let id = next++; id <= count; id = next++) {
        try {
          bodies.set(id, await client.get(id));
        } catch (error) {
          throw new Error(`rest-gateway did not serve customer ${id}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    await client.destroy();
  }
  return bodies;
}
