import { BIGINT, BOOLEAN, DOUBLE, INTEGER, TIMESTAMPTZ, VARCHAR, timestampTZValue, type DuckDBConnection, type DuckDBResultReader, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { describeValue } from '@bnpl/feature-definitions';
import { InvalidEntityTableError } from '@bnpl/offline-store';
import { InvalidHistoricalRequestError } from '@bnpl/offline-store';
import type { FeatureSelection } from '@bnpl/offline-store';
import { EVENT_TIMESTAMP, reservedColumnNames } from '@bnpl/offline-store';
import type { EntityRowInput, EntityTableFile, HistoricalFeaturesRequest } from '@bnpl/offline-store';
import { appendColumns, duck, ident, str } from './duckdb-sql';

/** The validated entity table: temp table `entities` of the connection, one row per entity row. */
export interface StagedEntities {
  /** `temp.main.entities`: `__row` (input position), join keys BIGINT, `event_timestamp` TIMESTAMPTZ, labels. */
  readonly table: string;
  /** Label columns (every column but the join keys and `event_timestamp`), in input order. */
  readonly labels: readonly string[];
  /** Each label's DuckDB type (`BIGINT`, `VARCHAR`, `TIMESTAMP WITH TIME ZONE`, ...). */
  readonly labelTypes: ReadonlyMap<string, string>;
  readonly rowCount: number;
  /** The earliest `event_timestamp`: no feature row superseded before it can be visible. */
  readonly minEventTime: Date;
  /** The latest `event_timestamp`: no feature row after it can be visible. */
  readonly maxEventTime: Date;
}

const INPUT = 'temp.main.entity_input';
const ENTITIES = 'temp.main.entities';
const ROW = '__row';
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);
/** An instant with its offset; DuckDB's own CSV output (`2025-01-01 10:00:00.123+00`) included. */
const TIMESTAMP_WITH_OFFSET = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)`;
const TIMESTAMP_WITHOUT_OFFSET = String.raw`\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?`;
const TIME_RANGE = `TIMESTAMPTZ '0001-01-01 00:00:00+00' AND TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'`;
const NOT_ISO = 'is not an ISO 8601 timestamp (e.g. 2025-03-01T10:00:00Z)';
const BAD_ID = 'is not a positive integer without leading zeros (1 to 9223372036854775807)';

/**
 * Loads the request's entity rows or file into the connection's temp table `entities`, checking it first:
 * needed columns present and typed, ids canonical, timestamps parsable with an offset and within years
 * 1-9999, no two rows with the same ids and timestamp, labels named so as not to clash with output columns.
 * Every check names the first offending row (0-based) and column. Memory rows and files go through the
 * same SQL checks, so both are judged alike.
 */
export async function stageEntityTable(connection: DuckDBConnection, request: HistoricalFeaturesRequest, selection: FeatureSelection): Promise<StagedEntities> {
  const required = [...selection.joinKeys, EVENT_TIMESTAMP];
  const { entityRows, entityTable } = request;
  if ((entityRows === undefined) === (entityTable === undefined)) {
    throw new InvalidHistoricalRequestError('Give exactly one of "entityRows" and "entityTable"');
  }
  // Labels are checked before staging: a bad name could not even be a column of the temp table.
  const check = (columns: readonly string[]) => checkLabels(columns.filter((c) => !required.includes(c)), selection);
  const columnTypes = entityRows !== undefined ? await loadRows(connection, entityRows, required, check) : await loadFile(connection, entityTable as EntityTableFile, required, check);
  const labels = [...columnTypes.keys()].filter((c) => c !== ROW && !required.includes(c));
  await checkValues(connection, required, columnTypes);
  await duck('normalising the entity table', () =>
    connection.run(
      `CREATE OR REPLACE TEMP TABLE entities AS SELECT ${ROW}, ${selection.joinKeys.map((k) => `CAST(${ident(k)} AS BIGINT) AS ${ident(k)}`).join(', ')}, ` +
        `CAST(${EVENT_TIMESTAMP} AS TIMESTAMPTZ) AS ${EVENT_TIMESTAMP}${labels.map((l) => `, ${ident(l)}`).join('')} FROM ${INPUT}`,
    ),
  );
  await checkDuplicates(connection, required);
  const stats = await duck('reading the entity table', () => connection.runAndReadAll(`SELECT count(*), min(${EVENT_TIMESTAMP}), max(${EVENT_TIMESTAMP}) FROM ${ENTITIES}`));
  const [count, minTime, maxTime] = stats.getRowsJS()[0] as [bigint, Date | null, Date | null];
  if (count === 0n || minTime === null || maxTime === null) throw new InvalidEntityTableError('The entity table has no rows');
  return { table: ENTITIES, labels, labelTypes: new Map(labels.map((l) => [l, columnTypes.get(l) as string])), rowCount: Number(count), minEventTime: minTime, maxEventTime: maxTime };
}

/** Checks the names of an entity table's columns that are labels. */
type LabelCheck = (columns: readonly string[]) => void;

/** Memory rows: ids and timestamps staged as text (checked in SQL like a CSV's), labels typed from their values. */
async function loadRows(connection: DuckDBConnection, rows: readonly EntityRowInput[], required: readonly string[], checkLabels: LabelCheck): Promise<Map<string, string>> {
  if (!Array.isArray(rows)) throw new InvalidEntityTableError(`"entityRows" must be an array of objects, got ${describeValue(rows)}`);
  const names: string[] = [...required];
  rows.forEach((row: unknown, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new InvalidEntityTableError(`Entity row ${i}: expected an object, got ${describeValue(row)}`, { rowIndex: i });
    for (const key of Object.keys(row)) if (!names.includes(key)) names.push(key);
  });
  checkLabels(names);
  const columns: DuckDBValue[][] = [rows.map((_, i) => i)];
  const types: DuckDBType[] = [INTEGER];
  const sqlTypes = new Map<string, string>([[ROW, 'INTEGER']]);
  for (const name of names) {
    const staged = required.includes(name) ? textColumn(rows, name) : labelColumn(rows, name);
    columns.push(staged.values);
    types.push(staged.type);
    sqlTypes.set(name, staged.type.toString());
  }
  await duck('staging the entity rows', async () => {
    await connection.run(`CREATE OR REPLACE TEMP TABLE entity_input (${[...sqlTypes].map(([n, t]) => `${ident(n)} ${t}`).join(', ')})`);
    const appender = await connection.createAppender('entity_input', 'main', 'temp');
    appendColumns(appender, types, columns, rows.length);
    appender.closeSync();
  });
  return sqlTypes;
}

function textColumn(rows: readonly EntityRowInput[], name: string): { type: DuckDBType; values: DuckDBValue[] } {
  const values = rows.map((row, i): string | null => {
    const v = row[name];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v instanceof Date && name === EVENT_TIMESTAMP) {
      if (Number.isNaN(v.getTime())) throw new InvalidEntityTableError(`Entity row ${i}: ${name} is an invalid Date`, { rowIndex: i, column: name });
      return v.toISOString();
    }
    throw new InvalidEntityTableError(`Entity row ${i}: ${name} ${describeValue(v)} has the wrong type`, { rowIndex: i, column: name });
  });
  return { type: VARCHAR, values };
}

/** A label column's type follows its values, which must agree: integers, numbers, strings, booleans or Dates. */
function labelColumn(rows: readonly EntityRowInput[], name: string): { type: DuckDBType; values: DuckDBValue[] } {
  let kind: 'number' | 'string' | 'boolean' | 'date' | 'bigint' | undefined;
  let integral = true;
  rows.forEach((row, i) => {
    const v = row[name];
    if (v === undefined || v === null) return;
    const k = v instanceof Date ? 'date' : typeof v;
    if ((k !== 'number' && k !== 'string' && k !== 'boolean' && k !== 'date' && k !== 'bigint') || (kind !== undefined && kind !== k)) {
      throw new InvalidEntityTableError(`Entity row ${i}: label ${name} ${describeValue(v)} does not match the column's other values (${kind ?? 'none'})`, { rowIndex: i, column: name });
    }
    if (k === 'number' && !Number.isSafeInteger(v)) integral = false;
    if (v instanceof Date && Number.isNaN(v.getTime())) throw new InvalidEntityTableError(`Entity row ${i}: label ${name} is an invalid Date`, { rowIndex: i, column: name });
    kind = k;
  });
  const get = (row: EntityRowInput) => row[name] ?? null;
  switch (kind) {
    case 'number':
      return integral ? { type: BIGINT, values: rows.map((r) => nullable(get(r), (v) => BigInt(v as number))) } : { type: DOUBLE, values: rows.map((r) => get(r) as number | null) };
    case 'bigint':
      return { type: BIGINT, values: rows.map((r) => get(r) as bigint | null) };
    case 'boolean':
      return { type: BOOLEAN, values: rows.map((r) => get(r) as boolean | null) };
    case 'date':
      return { type: TIMESTAMPTZ, values: rows.map((r) => nullable(get(r), (v) => timestampTZValue(BigInt((v as Date).getTime()) * 1000n))) };
    default:
      return { type: VARCHAR, values: rows.map((r) => get(r) as string | null) };
  }
}

function nullable<T>(value: unknown, map: (v: unknown) => T): T | null {
  return value === null ? null : map(value);
}

/** A file, read by DuckDB: ids and timestamps of a CSV as text, so that the checks see them as written. */
async function loadFile(connection: DuckDBConnection, file: EntityTableFile, required: readonly string[], checkLabels: LabelCheck): Promise<Map<string, string>> {
  if (typeof file !== 'object' || file === null || typeof file.path !== 'string' || file.path === '') {
    throw new InvalidHistoricalRequestError('"entityTable" must be { path, format? }');
  }
  const format = file.format ?? (/\.csv$/i.test(file.path) ? 'csv' : /\.parquet$/i.test(file.path) ? 'parquet' : undefined);
  if (format !== 'csv' && format !== 'parquet') throw new InvalidHistoricalRequestError(`Entity table ${file.path}: give its format (csv or parquet)`);
  const reader = (types: readonly string[]) =>
    format === 'parquet'
      ? `read_parquet(${str(file.path)})`
      : `read_csv(${str(file.path)}, header = true${types.length ? `, types = {${types.map((c) => `${str(c)}: 'VARCHAR'`).join(', ')}}` : ''})`;
  const described = await readSchema(connection, `DESCRIBE SELECT * FROM ${reader([])}`, file.path);
  for (const name of required) {
    if (!described.has(name)) {
      throw new InvalidEntityTableError(`Entity table ${file.path} has no column ${name} (columns: ${[...described.keys()].join(', ')})`, { column: name });
    }
  }
  checkLabels([...described.keys()]);
  // Rows keep the file's order in the staged table (insertion order is preserved), so a row's position
  // (what errors report) is its rowid there: a row_number() window over the scan gave the same numbers but
  // took 0.4 s of a 1 s staging of a million rows, on one thread. A column of the file named rowid would
  // hide the pseudo-column, so such a file is numbered by the window.
  const source = reader(format === 'csv' ? required : []);
  if ([...described.keys()].some((c) => c.toLowerCase() === 'rowid')) {
    await readFile(connection, `CREATE OR REPLACE TEMP TABLE entity_input AS SELECT row_number() OVER () - 1 AS ${ROW}, * FROM ${source}`, file.path);
  } else {
    await readFile(connection, `CREATE OR REPLACE TEMP TABLE entity_file AS SELECT * FROM ${source}`, file.path);
    await readFile(connection, `CREATE OR REPLACE TEMP VIEW entity_input AS SELECT rowid AS ${ROW}, * FROM temp.main.entity_file`, file.path);
  }
  const staged = await readSchema(connection, `DESCRIBE ${INPUT}`, file.path);
  for (const name of required) {
    const type = staged.get(name) as string;
    const ok = name === EVENT_TIMESTAMP ? type === 'VARCHAR' || type === 'TIMESTAMP WITH TIME ZONE' : type === 'VARCHAR' || INTEGER_TYPES.has(type);
    if (!ok) {
      const hint = type === 'TIMESTAMP' ? ' (a timestamp without time zone: store it adjusted to UTC, or as text with its offset)' : '';
      throw new InvalidEntityTableError(`Entity table ${file.path}: column ${name} has type ${type}${hint}`, { column: name });
    }
  }
  return staged;
}

async function readSchema(connection: DuckDBConnection, sql: string, path: string): Promise<Map<string, string>> {
  const reader = await readFile(connection, sql, path);
  return new Map(reader.getRowObjectsJS().map((r) => [String(r['column_name']), String(r['column_type'])]));
}

/** Runs a statement reading the caller's file: a missing, unreadable or malformed file is bad input, not a store failure. */
async function readFile(connection: DuckDBConnection, sql: string, path: string): Promise<DuckDBResultReader> {
  try {
    return await connection.runAndReadAll(sql);
  } catch (error) {
    throw new InvalidEntityTableError(`Entity table ${path} cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

function checkLabels(labels: readonly string[], selection: FeatureSelection): void {
  const reserved = reservedColumnNames(selection);
  const seen = new Set<string>();
  for (const label of labels) {
    const lower = label.toLowerCase();
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new InvalidEntityTableError(`Entity table column "${label}": names are letters, digits and _, not starting with a digit or __`, { column: label });
    }
    if (reserved.has(lower)) throw new InvalidEntityTableError(`Entity table column "${label}" clashes with an output column of that name`, { column: label });
    if (seen.has(lower)) throw new InvalidEntityTableError(`Entity table column "${label}" appears twice (names are case-insensitive)`, { column: label });
    seen.add(lower);
  }
}

/**
 * The first row with a bad id or timestamp, and why: one scan finds the row (a test per value, no text),
 * then the reason is read for that row alone. Building each row's reasons and values as text in the scan
 * took twice as long on a million good rows.
 */
async function checkValues(connection: DuckDBConnection, required: readonly string[], types: ReadonlyMap<string, string>): Promise<void> {
  const problems = required.map((name) => problemOf(name, types.get(name) as string));
  const first = await duck('checking the entity table', () => connection.runAndReadAll(`SELECT min(${ROW}) FROM ${INPUT} WHERE ${problems.map((p) => `(${p}) IS NOT NULL`).join(' OR ')}`));
  const firstBad = first.getRowsJS()[0]?.[0];
  if (firstBad === null || firstBad === undefined) return;
  const why = required.map((name, i) => `${problems[i]} AS __p${i}, CAST(${ident(name)} AS VARCHAR) AS __v${i}`);
  const found = await duck('checking the entity table', () => connection.runAndReadAll(`SELECT ${ROW}, ${why.join(', ')} FROM ${INPUT} WHERE ${ROW} = ${String(firstBad)}`));
  const row = found.getRowsJS()[0];
  const rowIndex = Number(row[0]);
  const at = required.findIndex((_, i) => row[1 + 2 * i] !== null);
  const [problem, value] = [row[1 + 2 * at], row[2 + 2 * at]];
  const column = required[at];
  throw new InvalidEntityTableError(`Entity row ${rowIndex}: ${column}${value === null ? '' : ` "${String(value)}"`} ${String(problem)}`, { rowIndex, column });
}

/** SQL giving why a value is unusable, or NULL when it is fine. */
function problemOf(name: string, type: string): string {
  const c = ident(name);
  if (name === EVENT_TIMESTAMP && type === 'VARCHAR') {
    // The usual, well-formed value passes one expression; only a value failing it is asked why.
    return `CASE WHEN ${c} IS NULL THEN 'is missing' ` +
      `WHEN NOT regexp_full_match(${c}, ${str(TIMESTAMP_WITH_OFFSET)}) THEN CASE WHEN regexp_full_match(${c}, ${str(TIMESTAMP_WITHOUT_OFFSET)}) ` +
      `THEN 'has no UTC offset, so its instant is ambiguous: add Z or +hh:mm' ELSE ${str(NOT_ISO)} END ` +
      `WHEN TRY_CAST(${c} AS TIMESTAMPTZ) IS NULL THEN ${str(NOT_ISO)} ` +
      `WHEN TRY_CAST(${c} AS TIMESTAMPTZ) NOT BETWEEN ${TIME_RANGE} THEN 'is outside years 1 to 9999' END`;
  }
  if (name === EVENT_TIMESTAMP) {
    return `CASE WHEN ${c} IS NULL THEN 'is missing' WHEN NOT isfinite(${c}) OR ${c} NOT BETWEEN ${TIME_RANGE} THEN 'is outside years 1 to 9999' END`;
  }
  if (type === 'VARCHAR') {
    return `CASE WHEN ${c} IS NULL THEN 'is missing' WHEN NOT regexp_full_match(${c}, '[1-9][0-9]{0,18}') OR TRY_CAST(${c} AS BIGINT) IS NULL THEN ${str(BAD_ID)} END`;
  }
  return `CASE WHEN ${c} IS NULL THEN 'is missing' WHEN ${c} <= 0 OR ${c} > 9223372036854775807 THEN ${str(BAD_ID)} END`;
}

async function checkDuplicates(connection: DuckDBConnection, required: readonly string[]): Promise<void> {
  const keys = required.map(ident).join(', ');
  const found = await duck('checking the entity table for duplicates', () =>
    connection.runAndReadAll(`SELECT min(${ROW}), max(${ROW}), count(*) FROM ${ENTITIES} GROUP BY ${keys} HAVING count(*) > 1 ORDER BY 1 LIMIT 1`),
  );
  const row = found.getRowsJS()[0];
  if (!row) return;
  const [first, last, count] = row.map(Number);
  const more = count > 2 ? ` (${count} rows in all)` : '';
  throw new InvalidEntityTableError(`Entity rows ${first} and ${last} have the same ${required.join(', ')}${more}: each (ids, timestamp) may appear once`, { rowIndex: last });
}
