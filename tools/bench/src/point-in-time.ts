import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bnplCatalog, type FeatureRow, type FeatureView } from '@bnpl/feature-definitions';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import type { OfflineRow } from '@bnpl/offline-store';
import { makeTempDir } from '@bnpl/service-launchers';
import { WORKSPACE_ROOT } from '@bnpl/testing';
import { median } from './access-control/comparison';
import { parseBenchFlags } from './bench-flags';
import { seededRandom } from '@bnpl/testing';

const USAGE = `Usage: npm run bench:pit [-- options]

Point-in-time retrieval on the DuckDB offline store: writes synthetic feature history (one row per entity,
view and day), then builds a training set for --rows random (customer, merchant, instant) entity rows with
credit_decision_v1 into Parquet, and reports rows/s beside a same-run floor (DuckDB copying the entity file
to Parquet).

Options:
  --customers N   entities with history (default 500000)
  --days N        history rows per entity and view (default 4)
  --rows N        entity rows to retrieve (default 1000000)
  --entity-days N the entity rows' instants fall in the last N days (default: the history's whole span,
                  --days + 1); a shorter span is a training set of recent rows against a longer history
  --rounds N      retrievals in a row, each reported; the median is judged (default 1)
  --data-dir DIR  keep the history's DuckDB file here and reuse it when it holds the same
                  --customers and --days (writing 8M rows takes most of a run)
  --report FILE   JSON report (default tools/bench/reports/point-in-time.json)`;

const DAY_MS = 86_400_000;
const BATCH = 50_000;

function parse(argv: string[]) {
  const flags = parseBenchFlags(argv, USAGE, { customers: 500_000, days: 4, rows: 1_000_000, rounds: 1 }, ['report', 'data-dir', 'entity-days']);
  const entityDays = flags['entity-days'] === undefined ? flags.days + 1 : Number(flags['entity-days']);
  if (!Number.isSafeInteger(entityDays) || entityDays < 1) {
    process.stderr.write(`--entity-days must be a positive integer, got "${String(flags['entity-days'])}"\n\n${USAGE}\n`);
    process.exit(2);
  }
  return {
    customers: flags.customers,
    days: flags.days,
    entityDays,
    rows: flags.rows,
    rounds: flags.rounds,
    dataDir: flags['data-dir'] === undefined ? undefined : resolve(flags['data-dir']),
    report: resolve(flags.report ?? `${WORKSPACE_ROOT}/tools/bench/reports/point-in-time.json`),
  };
}

/** A value of every feature of `view`, of its type, varying with `n`. */
function syntheticRow(view: FeatureView, n: number): FeatureRow {
  const row: Record<string, FeatureRow[string]> = {};
  for (const [i, f] of view.features.entries()) {
    const k = (n * 31 + i * 7) % 1000;
    row[f.name] =
      f.valueType === 'INT64' ? k : f.valueType === 'DOUBLE' ? k / 1000 : f.valueType === 'BOOL' ? k % 2 === 0 : f.valueType === 'STRING' ? `s${k % 10}` : { amountMinor: k * 100, currency: 'EUR' };
  }
  return row;
}

/** History of one view: `days` end-of-day rows per entity, in batches (never all in memory). */
async function* historyOf(view: FeatureView, entities: number, days: number, lastDay: number): AsyncGenerator<OfflineRow[]> {
  let batch: OfflineRow[] = [];
  for (let id = 1; id <= entities; id++) {
    for (let d = 0; d < days; d++) {
      batch.push({ entityId: String(id), eventTime: new Date(lastDay - d * DAY_MS - 1), values: syntheticRow(view, id + d) });
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

/** The history store: written afresh, or reused from --data-dir when a complete one of the same shape is there. */
async function openHistory(o: ReturnType<typeof parse>, dir: string, log: (m: string) => void) {
  const views = bnplCatalog.resolveService('credit_decision_v1').storedViews;
  const merchants = Math.max(50, Math.round(o.customers / 200));
  const path = join(dir, `history-${o.customers}x${o.days}.duckdb`);
  const marker = `${path}.complete.json`;
  const kept = o.dataDir !== undefined && existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { today: number; historyRows: number; writeSeconds: number }) : undefined;
  if (!kept) rmSync(path, { force: true });
  const store = await DuckDBOfflineStore.open({ path, catalog: bnplCatalog });
  if (kept) {
    log(`history: reusing ${kept.historyRows.toLocaleString('en')} rows in ${path} (written in ${kept.writeSeconds.toFixed(1)} s)`);
    return { store, views, merchants, ...kept, reused: true };
  }
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  let historyRows = 0;
  const writeStarted = performance.now();
  for (const view of views) {
    const entities = view.entity.name === 'merchant' ? merchants : o.customers;
    const t = performance.now();
    const result = await store.writeFeatureRows(view.name, historyOf(view, entities, o.days, today));
    historyRows += entities * o.days;
    log(`history ${view.name}: ${(entities * o.days).toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (${JSON.stringify(result)})`);
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  if (o.dataDir !== undefined) writeFileSync(marker, JSON.stringify({ today, historyRows, writeSeconds }));
  return { store, views, merchants, today, historyRows, writeSeconds, reused: false };
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  const temp = makeTempDir('bnpl-pit-');
  try {
    if (o.dataDir !== undefined) mkdirSync(o.dataDir, { recursive: true });
    const { store, views, merchants, today, historyRows, writeSeconds, reused } = await openHistory(o, o.dataDir ?? temp.path, log);

    // Entity rows: random customers and merchants at random instants of the last --entity-days days (with
    // the default span, a few before the history).
    const entityFile = join(temp.path, 'entities.csv');
    const random = seededRandom(7);
    const out = createWriteStream(entityFile);
    out.write('customer_id,merchant_id,event_timestamp,label\n');
    const span = o.entityDays * DAY_MS;
    for (let i = 0; i < o.rows; i++) {
      const at = new Date(today - Math.floor(random() * span)).toISOString();
      if (!out.write(`${1 + Math.floor(random() * o.customers)},${1 + Math.floor(random() * merchants)},${at},${i % 2}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));

    // Same-run floor: DuckDB alone reading the entity file and writing it as Parquet.
    const floorDb = await (await DuckDBInstance.create(':memory:')).connect();
    const floorStarted = performance.now();
    await floorDb.run(`COPY (SELECT * FROM read_csv('${entityFile}')) TO '${join(temp.path, 'floor.parquet')}' (FORMAT parquet)`);
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    floorDb.closeSync();

    log(`retrieving credit_decision_v1 for ${o.rows.toLocaleString('en')} entity rows against ${historyRows.toLocaleString('en')} history rows`);
    const rounds: number[] = [];
    let rowCount = 0;
    let features = 0;
    for (let round = 1; round <= o.rounds; round++) {
      const started = performance.now();
      const result = await store.getHistoricalFeatures({ entityTable: { path: entityFile }, featureService: 'credit_decision_v1', output: { kind: 'file', format: 'parquet', path: join(temp.path, 'training.parquet'), overwrite: true } });
      rounds.push((performance.now() - started) / 1000);
      rowCount = result.rowCount;
      features = result.featureNames.length;
      if (o.rounds > 1) log(`round ${round}: ${rounds[round - 1].toFixed(2)} s = ${Math.round(rowCount / rounds[round - 1]).toLocaleString('en')} rows/s`);
    }
    await store.close();
    const seconds = median(rounds);
    const rowsPerSecond = rowCount / seconds;
    const report = {
      benchmark: 'point-in-time',
      generatedAt: new Date().toISOString(),
      command: `npm run bench:pit -- --customers ${o.customers} --days ${o.days} --rows ${o.rows} --entity-days ${o.entityDays} --rounds ${o.rounds}`,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      parameters: o,
      history: { rows: historyRows, views: views.map((v) => v.name), writeSeconds, writeRowsPerSecond: historyRows / writeSeconds, reused },
      retrieval: { entityRows: rowCount, features, seconds, rounds, rowsPerSecond },
      floor: { what: 'DuckDB copying the entity CSV to Parquet', seconds: floorSeconds, rowsPerSecond: o.rows / floorSeconds },
      targets: [{ target: 'point-in-time retrieval >= 1,000,000 rows/s', measured: rowsPerSecond, met: rowsPerSecond >= 1_000_000, missedBy: Math.max(0, 1_000_000 - rowsPerSecond) }],
    };
    mkdirSync(dirname(o.report), { recursive: true });
    writeFileSync(o.report, `${JSON.stringify(report, null, 2)}\n`);
    log(`history: ${historyRows.toLocaleString('en')} rows ${reused ? 'reused' : 'written'} (written in ${writeSeconds.toFixed(1)} s)`);
    log(`retrieval: ${rowCount.toLocaleString('en')} rows x ${features} features in ${seconds.toFixed(2)} s${o.rounds > 1 ? ` (median of ${o.rounds})` : ''} = ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s; floor (CSV -> Parquet copy) ${Math.round(o.rows / floorSeconds).toLocaleString('en')} rows/s`);
    const goal = report.targets[0];
    log(`goal: ${goal.target}: measured ${Math.round(goal.measured).toLocaleString('en')} rows/s, ${goal.met ? 'met' : `not met (short by ${Math.round(goal.missedBy).toLocaleString('en')} rows/s)`}`);
    log(`report: ${o.report}`);
  } finally {
    temp.remove();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
