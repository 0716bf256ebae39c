/**
 * Fills Redis with every customer's and merchant's stored views, computed from the source with the same
 * SQL the read path falls back to. A stand-in until batch materialization exists: the serving benchmark
 * needs a full online store, and this is the simplest correct way to get one.
 */
import { performance } from 'node:perf_hooks';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { bnplCatalog } from '@bnpl/feature-definitions';
import type { OnlineRow } from '@bnpl/online-store';
import { RedisOnlineStore } from '@bnpl/online-store-redis';
import { waitFor } from '@bnpl/testing';

export interface PrefillOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Ids 1..customers and 1..merchants are read (the generator numbers them so). */
  readonly customers: number;
  readonly merchants: number;
  /** Entities per source read. Default 2,000. */
  readonly chunkSize?: number;
  /** Chunks in flight. Default 2: PostgreSQL runs one query per core. */
  readonly concurrency?: number;
  readonly onProgress?: (entitiesDone: number, entitiesTotal: number) => void;
}

export interface PrefillStats {
  readonly entities: number;
  /** (entity, view) rows written. */
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

interface Chunk {
  readonly entity: 'customer' | 'merchant';
  readonly from: number;
  readonly to: number;
}

/** Reads each stored view by id range and writes it to Redis in overwrite mode, `concurrency` chunks at a time. */
export async function prefillOnlineStore(options: PrefillOptions): Promise<PrefillStats> {
  const chunkSize = options.chunkSize ?? 2_000;
  const chunks: Chunk[] = [];
  for (const [entity, count] of [['customer', options.customers], ['merchant', options.merchants]] as const) {
    for (let from = 1; from <= count; from += chunkSize) chunks.push({ entity, from, to: Math.min(count, from + chunkSize - 1) });
  }
  const total = options.customers + options.merchants;
  const db = new SourceDatabase({ type: 'postgres', url: options.databaseUrl, poolSize: options.concurrency ?? 2, applicationName: 'bnpl-bench-prefill', statementTimeoutMs: 600_000 });
  await db.start();
  const reader = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
  const store = RedisOnlineStore.standalone(options.redisUrl, { catalog: bnplCatalog, commandTimeoutMs: 30_000 });
  // One as-of instant for the whole fill: every value describes the same moment, which is its event time.
  const asOf = new Date();
  const started = performance.now();
  let rows = 0;
  let done = 0;
  try {
    // The store fails fast rather than queueing while it connects: wait until it answers.
    await waitFor('the online store to connect', async () => (await store.ping(), true), 10_000);
    const next = chunks.values();
    const worker = async () => {
      for (let chunk = next.next(); !chunk.done; chunk = next.next()) {
        const { entity, from, to } = chunk.value;
        const views = bnplCatalog.views.filter((v) => v.entity.name === entity);
        const batch: OnlineRow[] = [];
        for (const view of views) {
          for (const row of await reader.readViewRange(view.name, String(from), String(to), asOf)) {
            batch.push({ key: { entity, id: row.entityId }, view: view.name, values: row.features, eventTime: asOf });
          }
        }
        const { written } = await store.write(batch, { mode: 'overwrite' });
        rows += written;
        done += to - from + 1;
        options.onProgress?.(done, total);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  } finally {
    await store.close();
    await db.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { entities: total, rows, seconds: round(seconds, 2), rowsPerSecond: Math.round(rows / seconds) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
