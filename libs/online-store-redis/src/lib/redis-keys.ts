import calculateSlot from 'cluster-key-slot';
/**
 * The Redis key layout (README.md, "Redis key layout"): one hash per entity,
 *
 *   fs:v1:{c:123}   customer 123        fs:v1:{m:45}   merchant 45
 *
 * `fs` names the feature store (the instance may be shared), `v1` the layout version (a new layout gets
 * new keys, so old and new can coexist during a migration). The braces are a Redis Cluster hash tag
 * around the entity only, so every view of one entity lives in one hash in one slot, and one HMGET reads
 * all the views a request needs for that entity. Entities spread over all slots by their id.
 */
export const KEY_PREFIX = 'fs:v1:';

/** The stream watermark (epoch ms as text): see OnlineStore.writeStreamWatermark. */
export const STREAM_WATERMARK_KEY = `${KEY_PREFIX}stream-watermark`;

/** The Redis key of the hash holding every view of the entity with this tag (`c:123`, see entityTag). */
export function entityHashKey(tag: string): string {
  return `${KEY_PREFIX}{${tag}}`;
}

/**
 * The Redis Cluster slot of `key` (CRC16 of its hash tag, modulo 16384): Redis' own function from
 * `cluster-key-slot`, the package ioredis routes with, so our grouping of keys by node always agrees with
 * the client's. The cluster int-spec checks it against CLUSTER KEYSLOT.
 */
export function clusterSlot(key: string): number {
  return calculateSlot(key);
}
