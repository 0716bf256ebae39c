/**
 * `generateDataset`: fills the BNPL source tables of a PostgreSQL database with a deterministic,
 * realistic dataset. Used by the CLI (main.ts), the local-stack launcher and tests.
 *
 * Pipeline: customers are generated in order, in slices (a few hundred kB of COPY text per table),
 * grouped into batches (one COPY transaction per table). Four connections stream customers, orders,
 * installments and payments concurrently (see copy-writer.ts for how foreign keys are respected).
 * Memory stays flat: at most a few slices per table are held at any time.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Client } from 'pg';
import { CopyTextBuffer, CopyTextSink, type CustomerTable, writeMerchant } from './copy-text';
import { copyAll, CopyLane } from './copy-writer';
import { DEFAULT_BATCH_SIZE, defaultMerchantCount, MAX_CUSTOMERS, MAX_MERCHANTS } from './defaults';
import { DataGeneratorError } from './errors';
import { dateOfDay, dayOfDate } from './model/calendar';
import { generateCustomer, IdSequences } from './model/customer-history';
import { MerchantCatalog } from './model/merchants';
import { Prng } from './model/prng';
import { type RowCounts, TABLES, type TableName, zeroCounts } from './model/rows';

export { defaultMerchantCount } from './defaults';
export { DataGeneratorError, type GeneratorErrorReason } from './errors';
export { type RowCounts } from './model/rows';

export interface GenerateDatasetOptions {
  /** postgres://user:password@host:port/database */
  databaseUrl: string;
  /** Number of customers (ids 1..customers). */
  customers: number;
  /** Number of merchants; default max(50, round(customers / 200)). */
  merchants?: number;
  /** PRNG seed (a non-negative safe integer). Same seed and options => byte-identical tables. */
  seed: number;
  /** "Today", truncated to UTC midnight; every generated event lies before it. Default: now. */
  asOf?: Date;
  /** Customers per COPY transaction (default 20,000). Changes throughput, never the data. */
  batchSize?: number;
  /** Empty the five tables first (TRUNCATE ... RESTART IDENTITY). Without it, non-empty tables are refused. */
  truncate?: boolean;
  /** Apply the schema migrations (`migrateDatabase` from @bnpl/db) first. */
  migrate?: boolean;
  /** Aborts the run; the batch in flight is rolled back, committed batches stay. */
  signal?: AbortSignal;
}

export type GenerationPhase = 'preparing' | 'merchants' | 'customers' | 'finalizing' | 'done';

export interface GenerationProgress {
  phase: GenerationPhase;
  customersGenerated: number;
  customersTotal: number;
  /** Rows produced so far (some may still be in flight). */
  rowsGenerated: RowCounts;
  /** Rows in committed COPY transactions. */
  rowsWritten: RowCounts;
  elapsedMs: number;
}

export interface GenerationSummary {
  rows: RowCounts;
  totalRows: number;
  elapsedMs: number;
  /** Time spent on setval and ANALYZE after the last COPY. */
  finalizeMs: number;
  rowsPerSecond: number;
  seed: number;
  /** The as-of day actually used (UTC midnight). */
  asOf: Date;
  merchants: number;
  /** Migrations applied by `migrate` (empty when already up to date; null when not asked). */
  migrationsApplied: string[] | null;
}

/** Customers per slice: the unit of generation between two yields to the event loop. */
const SLICE_SIZE = 1_000;
const PROGRESS_INTERVAL_MS = 100;
const CUSTOMER_TABLES: readonly CustomerTable[] = ['customers', 'orders', 'installments', 'payments'];
/** Children first: the order TRUNCATE and the non-empty check name them in. */
const TABLES_CHILDREN_FIRST: readonly TableName[] = [...TABLES].reverse();

export async function generateDataset(options: GenerateDatasetOptions, onProgress?: (progress: GenerationProgress) => void): Promise<GenerationSummary> {
  const customers = options.customers;
  const merchantCount = options.merchants ?? defaultMerchantCount(customers);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const asOfDay = dayOfDate(options.asOf ?? new Date());
  validate(options, merchantCount, batchSize, asOfDay);

  const started = performance.now();
  const rowsGenerated = zeroCounts();
  const rowsWritten = zeroCounts();
  let customersGenerated = 0;
  let lastReport = 0;
  const report = (phase: GenerationPhase, force = true) => {
    const now = performance.now();
    if (!onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
    lastReport = now;
    onProgress({ phase, customersGenerated, customersTotal: customers, rowsGenerated: { ...rowsGenerated }, rowsWritten: { ...rowsWritten }, elapsedMs: now - started });
  };

  report('preparing');
  let migrationsApplied: string[] | null = null;
  if (options.migrate) migrationsApplied = await migrate(options.databaseUrl);
  const clients: Client[] = [];
  const lanes: CopyLane[] = [];
  try {
    const control = await connect(options.databaseUrl, 'control');
    clients.push(control);
    await checkSchema(control);
    if (options.truncate) await truncate(control);
    else await refuseNonEmpty(control);

    report('merchants');
    const catalog = new MerchantCatalog(options.seed, merchantCount, asOfDay);
    const merchantText = new CopyTextBuffer();
    for (const row of catalog.rows) writeMerchant(merchantText, row);
    rowsGenerated.merchants = catalog.rows.length;
    rowsWritten.merchants = await copyAll(control, 'merchants', merchantText.take());

    report('customers');
    const laneClients = await Promise.all(CUSTOMER_TABLES.map((table) => connect(options.databaseUrl, table)));
    clients.push(...laneClients);
    // Each batch is regenerated from the seed on a re-run, so losing the last commits in a crash is harmless.
    await Promise.all(laneClients.map((c) => c.query('SET synchronous_commit = off')));
    const laneOf = {} as Record<CustomerTable, CopyLane>;
    for (let i = 0; i < CUSTOMER_TABLES.length; i++) {
      // Each table's parent is the one before it: customers <- orders <- installments <- payments.
      const lane = new CopyLane(laneClients[i], CUSTOMER_TABLES[i], i > 0 ? lanes[i - 1] : null);
      laneOf[CUSTOMER_TABLES[i]] = lane;
      lanes.push(lane);
    }
    const written = () => {
      for (const table of CUSTOMER_TABLES) rowsWritten[table] = laneOf[table].rowsCommitted;
    };

    const sink = new CopyTextSink();
    const ids = new IdSequences();
    const rng = new Prng(options.seed);
    const ctx = { seed: options.seed, asOfDay, merchants: catalog };
    for (let batch = 0; customersGenerated < customers; batch++) {
      const batchEnd = Math.min(customers, customersGenerated + batchSize);
      while (customersGenerated < batchEnd) {
        if (options.signal?.aborted) {
          throw new DataGeneratorError('ABORTED', 'generation aborted (committed batches stay: re-run with --truncate)', { cause: options.signal.reason });
        }
        const sliceEnd = Math.min(batchEnd, customersGenerated + SLICE_SIZE);
        for (let id = customersGenerated + 1; id <= sliceEnd; id++) generateCustomer(ctx, ids, id, rng, sink);
        customersGenerated = sliceEnd;
        await Promise.all(
          CUSTOMER_TABLES.map((table) => {
            const buffer = sink.buffers[table];
            rowsGenerated[table] += buffer.rows;
            return laneOf[table].push(batch, buffer.take());
          }),
        );
        written();
        report('customers', false);
        // Let the sockets drain between slices even when no lane pushed back.
        await nextTurn();
      }
      for (const lane of lanes) lane.endBatch(batch);
    }
    await Promise.all(lanes.map((lane) => lane.finish()));
    written();
    for (const table of TABLES) {
      if (rowsWritten[table] !== rowsGenerated[table]) {
        throw new DataGeneratorError('WRITE_FAILED', `${table}: generated ${rowsGenerated[table]} rows but PostgreSQL reports ${rowsWritten[table]} copied`);
      }
    }

    report('finalizing');
    const finalizeStarted = performance.now();
    // Rows carry explicit ids, so the identity sequences never advanced: move them past the data.
    for (const table of TABLES) {
      await control.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`);
    }
    // Fresh statistics, so the first feature queries get sensible plans.
    await control.query(`ANALYZE ${TABLES.join(', ')}`);
    const finalizeMs = performance.now() - finalizeStarted;

    report('done');
    const elapsedMs = performance.now() - started;
    const totalRows = TABLES.reduce((sum, t) => sum + rowsWritten[t], 0);
    return {
      rows: { ...rowsWritten },
      totalRows,
      elapsedMs,
      finalizeMs,
      rowsPerSecond: totalRows / (elapsedMs / 1000),
      seed: options.seed,
      asOf: dateOfDay(asOfDay),
      merchants: merchantCount,
      migrationsApplied,
    };
  } catch (error) {
    const failure = error instanceof DataGeneratorError ? error : new DataGeneratorError('WRITE_FAILED', `${(error as Error).message} (the tables may now hold a partial dataset: re-run with --truncate)`, { cause: error });
    for (const lane of lanes) lane.abort(failure);
    throw failure;
  } finally {
    await Promise.all(clients.map(closeClient));
  }
}

function validate(options: GenerateDatasetOptions, merchants: number, batchSize: number, asOfDay: number): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(options.customers) || options.customers < 0 || options.customers > MAX_CUSTOMERS) problems.push(`customers must be an integer in 0..${MAX_CUSTOMERS}`);
  if (!Number.isSafeInteger(merchants) || merchants < 1 || merchants > MAX_MERCHANTS) problems.push(`merchants must be an integer in 1..${MAX_MERCHANTS}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) problems.push('batchSize must be a positive integer');
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) problems.push('seed must be a non-negative safe integer');
  if (!Number.isFinite(asOfDay)) problems.push('asOf must be a valid date');
  if (problems.length > 0) throw new DataGeneratorError('INVALID_OPTIONS', problems.join('; '));
}

async function migrate(url: string): Promise<string[]> {
  // Loaded lazily: @bnpl/db brings TypeORM and NestJS, which a plain generation run does not need.
  const { migrateDatabase } = await import('@bnpl/postgres');
  try {
    return await migrateDatabase({ type: 'postgres', url });
  } catch (error) {
    throw new DataGeneratorError('MIGRATION_FAILED', `migrations failed on ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
}

async function connect(url: string, role: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: `bnpl-data-generator/${role}`, connectionTimeoutMillis: 10_000 });
  // A broken connection also fails the query in progress, which is where it is reported.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DataGeneratorError('DATABASE_UNAVAILABLE', `cannot connect to ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
  return client;
}

async function closeClient(client: Client): Promise<void> {
  // end() waits for the server; after an aborted COPY it may never answer, so bound the wait.
  await Promise.race([client.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
}

async function checkSchema(client: Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL`, [TABLES]);
  if (rows.length > 0) {
    throw new DataGeneratorError('SCHEMA_MISSING', `source table(s) missing: ${rows.map((r) => r.name).join(', ')}. Run migrations first (or pass --migrate).`);
  }
}

async function truncate(client: Client): Promise<void> {
  try {
    await client.query(`TRUNCATE ${TABLES_CHILDREN_FIRST.join(', ')} RESTART IDENTITY`);
  } catch (error) {
    // E.g. another table references these: never CASCADE into tables this tool does not own.
    throw new DataGeneratorError('WRITE_FAILED', `TRUNCATE failed: ${(error as Error).message}`, { cause: error });
  }
}

async function refuseNonEmpty(client: Client): Promise<void> {
  const nonEmpty: string[] = [];
  for (const table of TABLES_CHILDREN_FIRST) {
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    if (rows[0].any) nonEmpty.push(table);
  }
  if (nonEmpty.length > 0) {
    throw new DataGeneratorError('TABLES_NOT_EMPTY', `table(s) not empty: ${nonEmpty.join(', ')}. Pass --truncate to replace their contents.`);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
