/**
 * Command-line arguments -> GenerateDatasetOptions. Pure (argv and environment are passed in), so the
 * validation is unit-tested; main.ts maps a UsageError to exit code 2 and the usage text.
 */
import { Command } from 'commander';
import { parseCommandLine, UsageError } from '@bnpl/command-line';
import { DEFAULT_BATCH_SIZE, MAX_CUSTOMERS, MAX_MERCHANTS } from './defaults';
import { type GenerateDatasetOptions } from './generate';

export const USAGE = `Usage: node -r ./tools/register.cjs tools/data-generator/src/main.ts [options]

Fills the BNPL source tables (customers, merchants, orders, installments, payments) with a realistic,
deterministic dataset: the same seed and options always produce byte-identical tables.

Options:
  --database-url <url>   postgres://user:password@host:port/database (default: $DATABASE_URL)
  --customers <n>        number of customers (default 10000; ~10 instalments each)
  --merchants <n>        number of merchants (default max(50, customers / 200))
  --seed <n>             PRNG seed, a non-negative integer (default 42)
  --as-of <date>         "today", YYYY-MM-DD or an ISO timestamp truncated to its UTC day
                         (default: now); all history lies before it
  --batch-size <n>       customers per COPY transaction (default ${DEFAULT_BATCH_SIZE}); does not change the data
  --truncate             empty the five tables first (otherwise non-empty tables are refused)
  --migrate              apply the schema migrations first
  --if-empty             when the tables already hold data, generate nothing and exit 0
  -h, --help             print this help

Exit codes: 0 done, 1 failed (database unreachable, schema missing, tables not empty, write error),
2 bad arguments, 130 interrupted.`;

export { UsageError };

export type CliCommand = { kind: 'help' } | { kind: 'generate'; options: GenerateDatasetOptions; ifEmpty: boolean };

const DEFAULT_CUSTOMERS = 10_000;
const DEFAULT_SEED = 42;
// The model reaches 11 years back (merchants) and 75 back (dates of birth); keep as-of in a sane era.
const MIN_AS_OF_YEAR = 2000;
const MAX_AS_OF_YEAR = 2099;

/** The flags as given, by commander's attribute name: text, checked by parseCliArgs. */
type RawFlags = Partial<Record<'databaseUrl' | 'customers' | 'merchants' | 'seed' | 'asOf' | 'batchSize', string>> & Partial<Record<'truncate' | 'migrate' | 'ifEmpty' | 'help', true>>;

export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  // Values are read as text and checked below, with messages naming the flag; USAGE is the help.
  const program = new Command('generate-data')
    .helpOption(false)
    .option('--database-url <value>')
    .option('--customers <value>')
    .option('--merchants <value>')
    .option('--seed <value>')
    .option('--as-of <value>')
    .option('--batch-size <value>')
    .option('--truncate')
    .option('--migrate')
    .option('--if-empty')
    .option('-h, --help');
  const line = parseCommandLine<RawFlags>(program, argv);
  if (line.kind === 'help' || line.options.help) return { kind: 'help' };
  const values = line.options;

  const databaseUrl = values.databaseUrl ?? env['DATABASE_URL'];
  if (databaseUrl === undefined || databaseUrl === '') throw new UsageError('--database-url is required (or set DATABASE_URL)');
  checkDatabaseUrl(databaseUrl);

  const customers = values.customers === undefined ? DEFAULT_CUSTOMERS : count('--customers', values.customers, 0, MAX_CUSTOMERS);
  const merchants = values.merchants === undefined ? undefined : count('--merchants', values.merchants, 1, MAX_MERCHANTS);
  const seed = values.seed === undefined ? DEFAULT_SEED : count('--seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const batchSize = values.batchSize === undefined ? undefined : count('--batch-size', values.batchSize, 1, 1_000_000);
  const asOf = values.asOf === undefined ? undefined : asOfDate(values.asOf);

  if (values.ifEmpty && values.truncate) throw new UsageError('--if-empty and --truncate contradict each other: pass one');
  return {
    kind: 'generate',
    ifEmpty: values.ifEmpty ?? false,
    options: { databaseUrl, customers, merchants, seed, asOf, batchSize, truncate: values.truncate ?? false, migrate: values.migrate ?? false },
  };
}

/** A non-negative decimal integer; `_` separators allowed (2_000_000). */
function count(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d[\d_]*$/.test(raw)) throw new UsageError(`${flag} must be a non-negative integer, got "${raw}"`);
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function checkDatabaseUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--database-url is not a valid URL: "${raw}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`--database-url must be a postgres:// or postgresql:// URL, got "${url.protocol}//..."`);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function asOfDate(raw: string): Date {
  const m = DATE_ONLY.exec(raw) ?? TIMESTAMP.exec(raw);
  if (!m) throw new UsageError(`--as-of must be a date (YYYY-MM-DD) or an ISO timestamp, got "${raw}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches impossible dates.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new UsageError(`--as-of is not a calendar date: "${raw}"`);
  }
  const instant = new Date(raw);
  if (Number.isNaN(instant.getTime())) throw new UsageError(`--as-of is not a valid timestamp: "${raw}"`);
  const utcDay = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  if (utcDay.getUTCFullYear() < MIN_AS_OF_YEAR || utcDay.getUTCFullYear() > MAX_AS_OF_YEAR) {
    throw new UsageError(`--as-of must be between ${MIN_AS_OF_YEAR}-01-01 and ${MAX_AS_OF_YEAR}-12-31, got "${raw}"`);
  }
  return utcDay;
}
