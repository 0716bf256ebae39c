/**
 * Command-line arguments of the local stack -> options. Pure (argv in, options or UsageError out), so the
 * validation is unit-tested; main.ts maps a UsageError to exit code 2 and the usage text.
 */
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseCommandLine, parseIntegerFlag, UsageError } from '@bnpl/command-line';

export { UsageError };

export const USAGE = `Usage: npm start [-- options]

Options:
  --data-dir DIR       where PostgreSQL keeps its data (default: .data/ in the repository)
  --customers N        demo customers generated on first start (default 10000)
  --seed N             generator seed (default 42)
  --online-store KIND  redis | memory (default: redis when redis-server is on PATH)
  --messaging KIND     pubsub | memory (default: pubsub, on the Pub/Sub emulator, when Go and Google's
                       pstest are installed and the online store is Redis; else the in-process bus)
  --port-offset N      add N to every port (default 0), to run beside another stack
  --verbose            print the services' log lines here (default: <data dir>/logs/<service>.log)
  --help               this text

Ports: rest-gateway 3000, batch-processor 3001, cdc-ingestor 3002, grpc-serving 3003 (HTTP) and 50051 (gRPC),
PostgreSQL 54320 (or any free port when taken).`;

export interface LocalStackOptions {
  readonly dataDir: string;
  readonly customers: number;
  readonly seed: number;
  readonly onlineStore: 'redis' | 'memory';
  /** `auto`: Pub/Sub when the emulator can be built and the online store is Redis, else in-process. */
  readonly messaging: 'pubsub' | 'memory' | 'auto';
  readonly portOffset: number;
  /** The services' log lines on the terminal rather than in files under the data directory. */
  readonly verbose: boolean;
}

export type LocalStackCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: LocalStackOptions };

export interface LocalStackDefaults {
  /** The repository: the default data directory is its .data/. */
  readonly root: string;
  /** Asked only when --online-store is not given. */
  readonly redisServerOnPath: () => boolean;
}

/** The highest default port is PostgreSQL's: every port plus the offset must stay a valid port. */
const POSTGRES_PORT = 54_320;
const MAX_PORT = 65_535;

type RawFlags = Partial<Record<'dataDir' | 'customers' | 'seed' | 'onlineStore' | 'messaging' | 'portOffset', string>> & { help?: true; verbose?: true };

/** Parses argv (without node and the script); a relative --data-dir resolves against the working directory. */
export function parseLocalStackArgs(argv: readonly string[], defaults: LocalStackDefaults): LocalStackCommand {
  // Values are read as text and checked below, in a fixed order, with messages naming the flag; USAGE is the help.
  const program = new Command('local-stack')
    .helpOption(false)
    .option('--data-dir <value>')
    .option('--customers <value>')
    .option('--seed <value>')
    .option('--online-store <value>')
    .option('--messaging <value>')
    .option('--port-offset <value>')
    .option('--verbose')
    .option('--help');
  const line = parseCommandLine<RawFlags>(program, argv);
  if (line.kind === 'help' || line.options.help) return { kind: 'help' };
  const values = line.options;
  const int = (flag: string, raw: string | undefined, fallback: number, min: number) => (raw === undefined ? fallback : parseIntegerFlag(flag, raw, min));

  const store = values.onlineStore ?? (defaults.redisServerOnPath() ? 'redis' : 'memory');
  if (store !== 'redis' && store !== 'memory') throw new UsageError(`--online-store must be redis or memory, got "${store}"`);
  const messaging = values.messaging ?? 'auto';
  if (messaging !== 'pubsub' && messaging !== 'memory' && messaging !== 'auto') throw new UsageError(`--messaging must be pubsub or memory, got "${messaging}"`);
  if (messaging === 'pubsub' && store === 'memory') throw new UsageError('--messaging pubsub needs the Redis online store: the services then run as separate processes');
  const customers = int('--customers', values.customers, 10_000, 0);
  const seed = int('--seed', values.seed, 42, 0);
  const portOffset = int('--port-offset', values.portOffset, 0, 0);
  if (POSTGRES_PORT + portOffset > MAX_PORT) throw new UsageError(`--port-offset must be at most ${MAX_PORT - POSTGRES_PORT} (ports go up to ${POSTGRES_PORT} + offset), got ${portOffset}`);
  return {
    kind: 'run',
    options: { dataDir: resolve(values.dataDir ?? join(defaults.root, '.data')), customers, seed, onlineStore: store, messaging, portOffset, verbose: values.verbose === true },
  };
}
