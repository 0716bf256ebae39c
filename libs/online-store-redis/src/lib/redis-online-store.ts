import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { Catalog } from '@bnpl/feature-definitions';
import { entityTag } from '@bnpl/online-store';
import { OnlineStoreUnavailableError } from '@bnpl/online-store';
import type { EntityKey, OnlineRow, OnlineStore, StoredView, WriteOptions, WriteResult } from '@bnpl/online-store';
import { StoredViewCodec } from '@bnpl/online-store';
import { STREAM_WATERMARK_KEY, clusterSlot, entityHashKey } from './redis-keys';
import { packIfNewerFrame, type FrameField } from './if-newer-frame';
import { tlsSafeConnector } from '@bnpl/redis-connection';

export interface RedisOnlineStoreOptions {
  /** Gives each view's feature order and types (the value encoding) and validates view names. */
  readonly catalog: Catalog;
  /**
   * Expiry of an entity's hash, refreshed whenever one of its views is written. Default: 7 times the
   * largest view TTL of the catalog, and at least 7 days (README.md, "Expiry").
   */
  readonly keyTtlSeconds?: number;
  /** Rejects a command not answered in this time (a network partition, a blocked server). Default 1000 ms. */
  readonly commandTimeoutMs?: number;
  /** Entities per pipeline when writing; larger batches are sent as several pipelines in turn. Default 1000. */
  readonly writeBatchSize?: number;
  /**
   * PEM CA certificates that sign the server's certificate, for a `rediss://` URL served under a private
   * CA (Node's bundled CAs otherwise). Ignored for `redis://`. The server's name is always verified.
   */
  readonly tlsCa?: Buffer;
}

const DAY_SECONDS = 86_400;

/** The default key expiry for a catalog; see RedisOnlineStoreOptions.keyTtlSeconds. */
export function defaultKeyTtlSeconds(catalog: Catalog): number {
  const largestTtl = Math.max(0, ...catalog.views.map((v) => v.ttlSeconds));
  return Math.max(7 * DAY_SECONDS, 7 * largestTtl);
}

/**
 * The driver, loaded when the first Redis store is built (as Nest's `loadPackage`): a process that selects
 * another backend never loads ioredis.
 */
function ioredis(): typeof import('ioredis') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ioredis') as typeof import('ioredis');
}

/**
 * The if-newer write, atomic on the server, for one or more entity hashes:
 *   KEYS the hashes; ARGV[1] the keys' expiry in seconds; ARGV[2] their fields, event times and values,
 *   packed (`packIfNewerFrame`, read here with Redis' bundled `struct`).
 * A value is set only when the stored one's event time (the first element of its MessagePack array, read
 * with Redis' bundled cmsgpack) is strictly older. A stored value that does not decode is replaced. Returns
 * how many fields were set; a hash's expiry is refreshed when any of its fields was.
 * Several hashes per call, and their rows in one argument: per call the client builds a command and Redis
 * runs a script, and per argument the client encodes and writes it, which cost a bulk write more than the
 * comparisons themselves (README, "Batch materialization").
 */
const WRITE_IF_NEWER_SCRIPT = `
local ttl = tonumber(ARGV[1])
local frame = ARGV[2]
local pos = 1
local written = 0
for k = 1, #KEYS do
  local fields
  fields, pos = struct.unpack('>I2', frame, pos)
  local any = false
  for _ = 1, fields do
    local field, at, value
    field, at, value, pos = struct.unpack('>I2c0dI4c0', frame, pos)
    local apply = true
    local stored = redis.call('HGET', KEYS[k], field)
    if stored then
      local ok, decoded = pcall(cmsgpack.unpack, stored)
      apply = not ok or type(decoded) ~= 'table' or type(decoded[1]) ~= 'number' or at > decoded[1]
    end
    if apply then
      redis.call('HSET', KEYS[k], field, value)
      written = written + 1
      any = true
    end
  end
  if any and ttl > 0 then
    redis.call('EXPIRE', KEYS[k], ttl)
  end
end
return written
`;

/**
 * Hashes per if-newer script call on a single node: Redis runs nothing else while a script runs, so calls
 * stay small (a few hundred fields) rather than holding reads up behind a whole batch.
 */
const HASHES_PER_SCRIPT = 64;

/** Sets KEYS[1] to ARGV[1] (epoch ms) only when later than the stored value, with expiry ARGV[2] seconds. */
const WATERMARK_SCRIPT = `
local stored = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > stored then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
`;

type ScriptClient = {
  /** `numberOfKeys`, the keys, then the script's ARGV (WRITE_IF_NEWER_SCRIPT). */
  fsWriteIfNewer(numberOfKeys: number, ...keysThenArgs: Array<string | Buffer>): Promise<number>;
  fsWatermark(key: string, ms: string, ttl: number): Promise<number>;
};

/**
 * Redis standalone, Sentinel or Cluster, through ioredis; the key layout and value encoding are specified
 * in README.md.
 *
 * Latency: a read is one HMGET per entity (all requested views as fields), auto-pipelined (the client
 * writes all commands of one event-loop tick together, so one round trip for any number of entities, shared
 * with concurrent reads); on a cluster one pipeline per node, sent in parallel.
 * Failure: the client never queues while disconnected and every command has a timeout, so a dead or
 * unreachable Redis costs one quick OnlineStoreUnavailableError; ioredis reconnects in the background.
 */
export class RedisOnlineStore implements OnlineStore {
  private readonly codec: StoredViewCodec;
  private readonly keyTtlSeconds: number;
  private readonly writeBatchSize: number;

  private constructor(
    private readonly client: Redis | Cluster,
    readonly kind: 'redis' | 'redis-cluster' | 'redis-sentinel',
    options: RedisOnlineStoreOptions,
  ) {
    this.codec = new StoredViewCodec(options.catalog);
    this.keyTtlSeconds = options.keyTtlSeconds ?? defaultKeyTtlSeconds(options.catalog);
    this.writeBatchSize = options.writeBatchSize ?? 1000;
    // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
    client.on('error', () => undefined);
    client.defineCommand('fsWriteIfNewer', { lua: WRITE_IF_NEWER_SCRIPT });
    client.defineCommand('fsWatermark', { numberOfKeys: 1, lua: WATERMARK_SCRIPT });
  }

  static standalone(url: string, options: RedisOnlineStoreOptions): RedisOnlineStore {
    // rediss:// alone turns TLS on in ioredis; an explicit `tls` adds the private CA.
    const tls = url.startsWith('rediss://') ? { ...(options.tlsCa ? { tls: { ca: options.tlsCa } } : {}), Connector: tlsSafeConnector() } : {};
    return new RedisOnlineStore(new (ioredis().Redis)(url, { ...failFast(options), ...tls, retryStrategy: reconnectDelay, enableAutoPipelining: true }), 'redis', options);
  }

  /** Through Redis Sentinel: the client asks the sentinels for the current master of `name` and follows failovers. */
  static sentinel(sentinels: Array<{ host: string; port: number }>, name: string, options: RedisOnlineStoreOptions): RedisOnlineStore {
    return new RedisOnlineStore(
      new (ioredis().Redis)({ sentinels, name, ...failFast(options), sentinelRetryStrategy: reconnectDelay, retryStrategy: reconnectDelay, enableAutoPipelining: true }),
      'redis-sentinel',
      options,
    );
  }

  static cluster(nodes: Array<{ host: string; port: number }>, options: RedisOnlineStoreOptions): RedisOnlineStore {
    const { enableOfflineQueue, ...redisOptions } = failFast(options);
    return new RedisOnlineStore(new (ioredis().Cluster)(nodes, { enableOfflineQueue, clusterRetryStrategy: reconnectDelay, redisOptions }), 'redis-cluster', options);
  }

  async read(keys: readonly EntityKey[], views: readonly string[]): Promise<(StoredView | null)[][]> {
    const viewDefs = views.map((name) => this.codec.view(name));
    const hashKeys = keys.map((key) => entityHashKey(entityTag(this.codec.catalog, key)));
    if (keys.length === 0) return [];
    if (views.length === 0) return keys.map(() => []);
    const fields = [...views];
    const replies = this.kind === 'redis-cluster' ? await this.pipelined<(Buffer | null)[]>(hashKeys, (pipeline, key) => pipeline.hmgetBuffer(key, ...fields)) : await this.autoPipelined(hashKeys, fields);
    return replies.map((reply) => reply.map((bytes, j) => (bytes === null ? null : this.codec.decodeView(viewDefs[j], bytes))));
  }

  async write(rows: readonly OnlineRow[], options: WriteOptions = {}): Promise<WriteResult> {
    const overwrite = options.mode === 'overwrite';
    // Encode (and so validate) everything before the first byte is sent, grouping rows by entity hash.
    const byKey = new Map<string, FrameField[]>();
    for (const row of rows) {
      const key = entityHashKey(entityTag(this.codec.catalog, row.key));
      const value = this.codec.encode(row.view, row.key, row.values, row.eventTime, row.tiles);
      let fields = byKey.get(key);
      if (!fields) byKey.set(key, (fields = []));
      fields.push({ field: row.view, eventTimeMs: row.eventTime.getTime(), value });
    }
    const entries = [...byKey];
    let written = 0;
    for (let start = 0; start < entries.length; start += this.writeBatchSize) {
      const batch = entries.slice(start, start + this.writeBatchSize);
      if (overwrite) {
        // Overwrite needs no comparison: a plain HSET and EXPIRE per hash cost Redis far less than the
        // script (bulk materialization writes millions of rows this way).
        await this.pipelined<number>(
          batch.map(([key]) => key),
          (pipeline, key, i) => {
            const fieldsAndValues: Array<string | Buffer> = [];
            for (const f of batch[i][1]) fieldsAndValues.push(f.field, f.value);
            pipeline.hset(key, ...fieldsAndValues);
            if (this.keyTtlSeconds > 0) pipeline.expire(key, this.keyTtlSeconds);
          },
          this.keyTtlSeconds > 0 ? 2 : 1,
        );
        for (const [, fields] of batch) written += fields.length;
        continue;
      }
      // The hashes of one call must share a slot: on a cluster, one hash per call, pipelined per node.
      const perCall = this.kind === 'redis-cluster' ? 1 : HASHES_PER_SCRIPT;
      const calls: Array<{ keys: string[]; frame: Buffer }> = [];
      for (let i = 0; i < batch.length; i += perCall) {
        const part = batch.slice(i, i + perCall);
        calls.push({ keys: part.map(([key]) => key), frame: packIfNewerFrame(part.map(([, fields]) => fields)) });
      }
      const ttl = String(this.keyTtlSeconds);
      // A call is routed by its first hash (on a cluster, its only one).
      const counts = await this.pipelined<number>(
        calls.map((call) => call.keys[0]),
        (pipeline, _key, i) => (pipeline as unknown as ScriptClient).fsWriteIfNewer(calls[i].keys.length, ...calls[i].keys, ttl, calls[i].frame),
      );
      for (const n of counts) written += n;
    }
    return { written, skipped: rows.length - written };
  }

  async delete(keys: readonly EntityKey[]): Promise<void> {
    const hashKeys = keys.map((key) => entityHashKey(entityTag(this.codec.catalog, key)));
    if (hashKeys.length > 0) await this.pipelined<number>(hashKeys, (pipeline, key) => pipeline.del(key));
  }

  async writeStreamWatermark(appliedThrough: Date): Promise<void> {
    this.assertReady();
    try {
      await (this.client as unknown as ScriptClient).fsWatermark(STREAM_WATERMARK_KEY, String(appliedThrough.getTime()), Math.max(1, this.keyTtlSeconds));
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async readStreamWatermark(): Promise<Date | null> {
    this.assertReady();
    let stored: string | null;
    try {
      stored = await this.client.get(STREAM_WATERMARK_KEY);
    } catch (error) {
      throw this.unavailable(error);
    }
    const ms = stored === null ? Number.NaN : Number(stored);
    return Number.isSafeInteger(ms) ? new Date(ms) : null;
  }

  async ping(): Promise<void> {
    this.assertReady();
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private assertReady(): void {
    if (this.client.status !== 'ready') throw new OnlineStoreUnavailableError(this.kind, `not connected (${this.client.status})`);
  }

  /**
   * Runs `commandsPerKey` commands per key (added by `add`) and returns each key's first reply, in key
   * order. Standalone and Sentinel: one pipeline.
   * Cluster: ioredis pipelines must not span nodes, so keys are grouped by the master serving their slot
   * (from the client's slot table) and each group is sent as its own pipeline, all in parallel: one round
   * trip per node. A slot that moved since the table was loaded gets a MOVED reply, which ioredis follows.
   */
  private async pipelined<T>(keys: readonly string[], add: (pipeline: ChainableCommander, key: string, index: number) => unknown, commandsPerKey = 1): Promise<T[]> {
    this.assertReady();
    const replies = new Array<T>(keys.length);
    const groups = this.groupByNode(keys);
    await Promise.all(
      groups.map(async (indexes) => {
        const pipeline = this.client.pipeline();
        for (const i of indexes) add(pipeline, keys[i], i);
        let results: [Error | null, unknown][] | null;
        try {
          results = await pipeline.exec();
        } catch (error) {
          throw this.unavailable(error);
        }
        if (!results) throw new OnlineStoreUnavailableError(this.kind, 'pipeline discarded');
        results.forEach(([error, reply], n) => {
          if (error) throw this.unavailable(error);
          if (n % commandsPerKey === 0) replies[indexes[n / commandsPerKey]] = reply as T;
        });
      }),
    );
    return replies;
  }

  /**
   * One HMGET per key, sent as plain commands: with auto-pipelining on (standalone and Sentinel) the client
   * writes every command issued in the same tick of the event loop in one socket write, so concurrent
   * reads share their round trips and system calls (an explicit pipeline per read costs a write each).
   */
  private async autoPipelined(keys: readonly string[], fields: readonly string[]): Promise<(Buffer | null)[][]> {
    this.assertReady();
    try {
      return await Promise.all(keys.map((key) => (this.client as Redis).hmgetBuffer(key, ...fields)));
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private groupByNode(keys: readonly string[]): number[][] {
    const all = keys.map((_, i) => i);
    if (this.kind !== 'redis-cluster') return [all];
    const slots = (this.client as Cluster).slots;
    const groups = new Map<string, number[]>();
    keys.forEach((key, i) => {
      // An unknown slot owner (table not loaded yet) gets its own group: ioredis then routes it alone.
      const node = slots[clusterSlot(key)]?.[0] ?? `?${i}`;
      const group = groups.get(node);
      if (group) group.push(i);
      else groups.set(node, [i]);
    });
    return [...groups.values()];
  }

  private unavailable(error: unknown): OnlineStoreUnavailableError {
    if (error instanceof OnlineStoreUnavailableError) return error;
    return new OnlineStoreUnavailableError(this.kind, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

// Fail fast instead of queueing commands while disconnected: a dead Redis must cost the read path one
// quick error (then it falls back to PostgreSQL), never a request that waits for a reconnect.
function failFast(options: RedisOnlineStoreOptions) {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
  } as const;
}

function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, 2_000);
}
