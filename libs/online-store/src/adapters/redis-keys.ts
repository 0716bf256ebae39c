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

export const CLUSTER_SLOTS = 16384;

/**
 * The Redis Cluster slot of `key`: CRC16 (XMODEM) of its hash tag (the first non-empty `{...}`) or of the
 * whole key, modulo 16384, as in the cluster specification. Our own copy, so the adapter depends on
 * ioredis' public API only; the cluster int-spec checks it against CLUSTER KEYSLOT.
 */
export function clusterSlot(key: string): number {
  let hashed = key;
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) hashed = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(hashed, 'utf8')) % CLUSTER_SLOTS;
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc;
}
