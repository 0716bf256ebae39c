/**
 * Command-line arguments of the parity check -> options. Pure (argv in, options or UsageError out), so
 * the validation is unit-tested; run-parity.ts maps a UsageError to exit code 2.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, type CommanderError } from 'commander';
import { UsageError } from '@bnpl/command-line';
import { compareEntityIds, isValidEntityId, type Catalog } from '@bnpl/feature-definitions';

export { UsageError };

export interface ParityCliOptions {
  readonly entity: string;
  /** Default: every stored view of the entity. */
  readonly views?: readonly string[];
  /** Absent: the lowest / highest id of the entity's table (or of `ids`). */
  readonly fromId?: string;
  readonly toId?: string;
  /** Ascending, without duplicates. */
  readonly ids?: readonly string[];
  readonly asOf?: Date;
  /** Absolute. */
  readonly reportPath: string;
  readonly chunkSize: number;
  readonly sampleLimit: number;
  /** Which stores to check; absent: the online store, and the offline history when one is configured. */
  readonly stores?: ReadonlyArray<'online' | 'offline'>;
}

export type ParityCommand = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'run'; readonly options: ParityCliOptions };

const DESCRIPTION = 'Compares the online store, and the offline history\'s latest rows, with the source of truth, feature by feature.';

const DETAILS = `
Recomputes stored feature views from PostgreSQL with the batch SQL and compares them with what the
online store holds, and with the latest row per entity and view of the offline history (what a
training set built now would read). Each stored row is compared with the source as of its own event
date (windows and ages move with the date), unless --as-of is given. Connects with the services'
variables: DATABASE_URL, DATABASE_TYPE, ONLINE_STORE, REDIS_URL, REDIS_CLUSTER_NODES,
REDIS_SENTINELS, and for the offline history the batch-processor's OFFLINE_STORE, OFFLINE_STORE_PATH
(a DuckDB file its batch-processor has released: DuckDB locks it), BIGQUERY_PROJECT, BIGQUERY_DATASET.

Exit codes: 0 consistent; 1 mismatches (or rows orphaned online among --ids); 2 bad flags or
environment; 3 the check could not run (a store unreachable, a query failed).

Example: npm run parity -- --entity customer --from 1 --to 100000 --views customer_exposure`;

/** Parses argv (without node and the script); relative paths resolve against `cwd`. */
export function parseParityArgs(argv: readonly string[], catalog: Catalog, cwd: string): ParityCommand {
  let helpText = '';
  const program = new Command('parity')
    .description(DESCRIPTION)
    .usage('--entity <name> [--from <id>] [--to <id>] [options]')
    .requiredOption('--entity <name>', `entity to check: ${catalog.entities.map((e) => e.name).join(' or ')}`)
    .option('--views <list>', 'comma-separated stored views of the entity (default: all of them)', list)
    .option('--from <id>', 'first id of the range (default: the lowest id of the entity table)', entityId)
    .option('--to <id>', 'last id of the range, inclusive (default: the highest id)', entityId)
    .option('--ids <list>', 'comma-separated ids to check instead of the whole range; also finds rows stored online for ids the source lacks', idList)
    .option('--as-of <instant>', 'compare every row as of this instant (ISO 8601: 2025-03-15 or 2025-03-15T10:00:00Z) instead of its own event date', instant)
    .option('--report <path>', 'JSON report (default: reports/parity-<entity>.json)')
    .option('--chunk-size <n>', 'ids per source query', integer(1), 2_000)
    .option('--sample-limit <n>', 'mismatch examples kept in the report', integer(0), 20)
    .option('--stores <list>', 'online, offline or both (default: online, and offline when OFFLINE_STORE is set)', storeList)
    .helpOption('-h, --help', 'this text')
    .addHelpText('after', DETAILS)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (helpText += s), writeErr: () => undefined });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if ((error as CommanderError).code === 'commander.helpDisplayed') return { kind: 'help', text: helpText };
    throw new UsageError((error as Error).message.replace(/^error: /, ''));
  }
  const o = program.opts<{ entity: string; views?: string[]; from?: string; to?: string; ids?: string[]; asOf?: Date; report?: string; chunkSize: number; sampleLimit: number; stores?: Array<'online' | 'offline'> }>();

  const entityViews = catalog.views.filter((v) => v.entity.name === o.entity).map((v) => v.name);
  if (!catalog.entities.some((e) => e.name === o.entity)) throw new UsageError(`--entity must be one of ${catalog.entities.map((e) => e.name).join(', ')}; got "${o.entity}"`);
  for (const view of o.views ?? []) {
    if (entityViews.includes(view)) continue;
    const other = catalog.views.find((v) => v.name === view);
    throw new UsageError(`--views: ${other ? `"${view}" is a view of ${other.entity.name}, not ${o.entity}` : `unknown stored view "${view}"`}; ${o.entity} has ${entityViews.join(', ')}`);
  }
  if (o.from && o.to && compareEntityIds(o.from, o.to) > 0) throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
  const ids = o.ids ? [...new Set(o.ids)].sort(compareEntityIds) : undefined;
  const outside = ids?.find((id) => (o.from && compareEntityIds(id, o.from) < 0) || (o.to && compareEntityIds(id, o.to) > 0));
  if (outside) throw new UsageError(`--ids: ${outside} is outside --from ${o.from ?? '(lowest)'} --to ${o.to ?? '(highest)'}`);

  return {
    kind: 'run',
    options: {
      entity: o.entity,
      ...(o.views ? { views: [...new Set(o.views)] } : {}),
      ...(o.from ? { fromId: o.from } : {}),
      ...(o.to ? { toId: o.to } : {}),
      ...(ids ? { ids } : {}),
      ...(o.asOf ? { asOf: o.asOf } : {}),
      reportPath: resolve(cwd, o.report ?? `reports/parity-${o.entity}.json`),
      chunkSize: o.chunkSize,
      sampleLimit: o.sampleLimit,
      ...(o.stores ? { stores: o.stores } : {}),
    },
  };
}

function storeList(raw: string): Array<'online' | 'offline'> {
  const stores = [...new Set(list(raw))];
  const bad = stores.find((s) => s !== 'online' && s !== 'offline');
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a store: expected online, offline or both`);
  return stores as Array<'online' | 'offline'>;
}

function list(raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected a comma-separated list without empty items');
  return items;
}

function entityId(raw: string): string {
  if (!isValidEntityId(raw)) throw new InvalidArgumentError('expected an entity id: a positive decimal integer without leading zeros');
  return raw;
}

function idList(raw: string): string[] {
  const ids = list(raw);
  const bad = ids.find((id) => !isValidEntityId(id));
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not an entity id (a positive decimal integer without leading zeros)`);
  return ids;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A date (UTC midnight) or a date-time with an explicit offset: a local time would depend on the machine. */
function instant(raw: string): Date {
  const date = new Date(raw);
  // Date parsing rolls 2025-02-30 over to March; a real calendar date survives the round trip.
  const day = raw.slice(0, 10);
  const midnight = new Date(`${day}T00:00:00Z`);
  const real = ISO_INSTANT.test(raw) && !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
  if (!real || Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected an ISO 8601 date or date-time with a time zone, e.g. 2025-03-15 or 2025-03-15T10:00:00Z');
  return date;
}

function integer(min: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}
