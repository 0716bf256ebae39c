import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkOfflineParity, checkParity, InvalidParityOptionsError, type ParityOptions, type ParityReport } from '@bnpl/parity';
import { createDataSource, dbEnvSchema, PostgresSourceFeatureReader, toDbOptions } from '@bnpl/postgres';
import { bnplCatalog, type Catalog } from '@bnpl/feature-definitions';
import type { OnlineStore } from '@bnpl/online-store';
import type { OfflineStore } from '@bnpl/offline-store';
import { createOfflineStore, type OfflineStoreOptions } from '@bnpl/offline-store-nest';
import {
  checkOnlineStoreEnv,
  createOnlineStore,
  onlineStoreEnvSchema,
  toOnlineStoreOptions,
} from '@bnpl/online-store-nest';
import { ConfigError, env as envVar, loadConfig } from '@bnpl/platform';
import { parseParityArgs, UsageError, type ParityCliOptions } from './parity-args';
import { formatReport, toJson } from './print-report';

export const EXIT = { consistent: 0, mismatches: 1, usage: 2, failed: 3 } as const;

export interface ParityIo {
  /** The variables the services read: DATABASE_URL, DATABASE_TYPE, ONLINE_STORE, REDIS_URL, ... */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Relative report paths resolve against it. */
  readonly cwd: string;
  /** Aborts between chunks (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** How long to wait for the online store to answer its first ping. Default 5 s. */
  readonly connectTimeoutMs?: number;
}

/** The batch-processor's offline store variables: the history it writes is the one checked. */
const offlineStoreEnvSchema = z.object({
  OFFLINE_STORE: envVar.oneOf(['none', 'duckdb', 'bigquery'] as const, 'none'),
  OFFLINE_STORE_PATH: z.string().min(1).optional(),
  BIGQUERY_PROJECT: z.string().min(1).optional(),
  BIGQUERY_DATASET: z.string().min(1).default('bnpl_features'),
  BIGQUERY_LOCATION: z.string().min(1).optional(),
});

const configSchema = dbEnvSchema.extend(onlineStoreEnvSchema.shape).extend(offlineStoreEnvSchema.shape);

function offlineStoreOptions(config: z.infer<typeof offlineStoreEnvSchema>): OfflineStoreOptions | string | null {
  switch (config.OFFLINE_STORE) {
    case 'none':
      return null;
    case 'duckdb':
      return config.OFFLINE_STORE_PATH ? { type: 'duckdb', path: config.OFFLINE_STORE_PATH } : 'OFFLINE_STORE_PATH is required when OFFLINE_STORE=duckdb';
    case 'bigquery':
      return config.BIGQUERY_PROJECT
        ? { type: 'bigquery', projectId: config.BIGQUERY_PROJECT, dataset: config.BIGQUERY_DATASET, ...(config.BIGQUERY_LOCATION ? { location: config.BIGQUERY_LOCATION } : {}) }
        : 'BIGQUERY_PROJECT is required when OFFLINE_STORE=bigquery';
  }
}

/** The option names of checkParity as the flags that set them, for error messages. */
const FLAG_OF: Readonly<Record<string, string>> = { entity: '--entity', views: '--views', fromId: '--from', toId: '--to', ids: '--ids', asOf: '--as-of', chunkSize: '--chunk-size', sampleLimit: '--sample-limit' };

/**
 * The parity check as a command: parses flags, connects to PostgreSQL, the online store and (when
 * configured) the offline store with the services' environment, runs `checkParity` and
 * `checkOfflineParity`, prints a summary of each, writes their JSON reports. Resolves with the exit code:
 * 0 consistent, 1 mismatches or orphans in either, 2 bad flags or environment, 3 could not run.
 */
export async function runParityCli(argv: readonly string[], io: ParityIo, catalog: Catalog = bnplCatalog): Promise<number> {
  const fail = (code: number, message: string): number => (io.err.write(`parity: ${message}\n`), code);
  let options: ParityCliOptions;
  let config: ReturnType<typeof loadConfig<typeof configSchema>>;
  try {
    const command = parseParityArgs(argv, catalog, io.cwd);
    if (command.kind === 'help') return io.out.write(command.text), EXIT.consistent;
    options = command.options;
    config = loadConfig('parity', configSchema, io.env, [checkOnlineStoreEnv]);
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT.usage, `${error.message}\nRun with --help for usage.`);
    if (error instanceof ConfigError) return fail(EXIT.usage, error.message);
    throw error;
  }
  const offline = offlineStoreOptions(config);
  if (typeof offline === 'string') return fail(EXIT.usage, offline);
  const stores = options.stores ?? (offline ? ['online', 'offline'] : ['online']);
  if (stores.includes('offline') && !offline) return fail(EXIT.usage, '--stores offline: set OFFLINE_STORE (duckdb with OFFLINE_STORE_PATH, or bigquery) to the batch-processor\'s offline store');
  // The in-memory store lives inside one process: another process (this one) cannot see it.
  if (stores.includes('online') && config.ONLINE_STORE === 'memory') return fail(EXIT.usage, 'ONLINE_STORE=memory is an in-process store: point ONLINE_STORE and REDIS_URL at the store the services use');

  const db = createDataSource({ ...toDbOptions(config, 'bnpl-parity'), poolSize: 2, statementTimeoutMs: 600_000 });
  // Without the L1 cache, whatever the environment says: the check must see what the store itself holds.
  let online: OnlineStore | undefined;
  let history: OfflineStore | undefined;
  try {
    try {
      await db.initialize();
    } catch (error) {
      return fail(EXIT.failed, `cannot reach ${config.DATABASE_TYPE} (${redact(config.DATABASE_URL)}): ${(error as Error).message}`);
    }
    if (stores.includes('online')) {
      online = createOnlineStore({ ...toOnlineStoreOptions(config), l1: undefined }, catalog);
      if (!(await answers(online, io.connectTimeoutMs ?? 5_000))) return fail(EXIT.failed, `the online store (${online.kind}) did not answer within ${(io.connectTimeoutMs ?? 5_000) / 1000} s`);
    }
    if (stores.includes('offline') && offline) {
      try {
        history = await createOfflineStore(offline, catalog);
      } catch (error) {
        const locked = /lock/i.test((error as Error).message) ? ' (a DuckDB file is locked by the batch-processor that writes it: stop it, or check a copy of the file)' : '';
        return fail(EXIT.failed, `cannot open the offline store (${offline.type})${locked}: ${(error as Error).message}`);
      }
    }

    const query = (sql: string, params: unknown[]) => db.query(sql, params) as Promise<Record<string, unknown>[]>;
    const bounds = await idBounds(options, catalog, query);
    if (typeof bounds === 'string') return fail(EXIT.usage, bounds);

    let lastProgress = Date.now();
    const source = new PostgresSourceFeatureReader(catalog, query);
    const checkOptions = (store: string): ParityOptions => ({
      entity: options.entity,
      ...(options.views ? { views: options.views } : {}),
      ...bounds,
      ...(options.ids ? { ids: options.ids } : {}),
      ...(options.asOf ? { asOf: options.asOf } : {}),
      chunkSize: options.chunkSize,
      sampleLimit: options.sampleLimit,
      ...(io.signal ? { signal: io.signal } : {}),
      onProgress: (p) => {
        if (Date.now() - lastProgress < 2_000) return;
        lastProgress = Date.now();
        io.err.write(`parity: ${store}: checked ids up to ${p.doneThroughId}: ${p.entitiesChecked} entities, ${p.mismatchedRows} mismatched rows so far\n`);
      },
    });
    const reports: ParityReport[] = [];
    if (online) {
      const report = await checkParity({ catalog, source, online }, checkOptions('online'));
      io.out.write(formatReport(report));
      await writeReport(options.reportPath, report, options);
      io.out.write(`report: ${options.reportPath}\n`);
      reports.push(report);
    }
    if (history) {
      const report = await checkOfflineParity({ catalog, source, offline: history }, checkOptions('offline'));
      // Beside the online report: <report>-offline.json.
      const path = online ? options.reportPath.replace(/(\.json)?$/, '-offline.json') : options.reportPath;
      io.out.write(`${online ? '\n' : ''}${formatReport(report)}`);
      await writeReport(path, report, options);
      io.out.write(`report: ${path}\n`);
      reports.push(report);
    }
    return reports.every((r) => r.consistent) ? EXIT.consistent : EXIT.mismatches;
  } catch (error) {
    if (error instanceof InvalidParityOptionsError) return fail(EXIT.usage, `${FLAG_OF[error.option] ?? error.option}: ${error.message}`);
    if (io.signal?.aborted) return fail(130, 'interrupted');
    return fail(EXIT.failed, `the check failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await online?.close().catch(() => undefined);
    await history?.close().catch(() => undefined);
    if (db.isInitialized) await db.destroy().catch(() => undefined);
  }
}

/**
 * The range to check: the flags, else the bounds of --ids, else the entity table's lowest and highest id.
 * Returns a message (a usage error) when there is nothing sensible to check.
 */
async function idBounds(options: ParityCliOptions, catalog: Catalog, query: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>): Promise<{ fromId: string; toId: string } | string> {
  if (options.fromId && options.toId) return { fromId: options.fromId, toId: options.toId };
  if (options.ids) return { fromId: options.fromId ?? options.ids[0], toId: options.toId ?? options.ids[options.ids.length - 1] };
  const { table } = catalog.getEntity(options.entity);
  const key = catalog.getSource(table).keys[options.entity];
  // Catalog names are validated lower_snake_case identifiers; quoted anyway.
  const [row] = await query(`SELECT min("${key}")::text AS lo, max("${key}")::text AS hi FROM "${table}"`, []);
  const lo = row?.['lo'] as string | null;
  const hi = row?.['hi'] as string | null;
  // An empty table: any id range is empty; check the given bound (or id 1) to get an honest empty report.
  if (lo === null || hi === null) return { fromId: options.fromId ?? options.toId ?? '1', toId: options.toId ?? options.fromId ?? '1' };
  const fromId = options.fromId ?? lo;
  const toId = options.toId ?? hi;
  if (BigInt(fromId) > BigInt(toId)) return options.fromId ? `--from ${fromId} is after the highest ${options.entity} id ${hi}` : `--to ${toId} is before the lowest ${options.entity} id ${lo}`;
  return { fromId, toId };
}

/** The online store fails fast while it connects: poll until it answers, for a bounded time. */
async function answers(store: OnlineStore, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await store.ping();
      return true;
    } catch {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function writeReport(path: string, report: ParityReport, options: ParityCliOptions): Promise<void> {
  const body = { tool: 'parity', generatedAt: new Date().toISOString(), parameters: { ...options, ids: options.ids?.length }, ...report };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${toJson(body, 2)}\n`);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
