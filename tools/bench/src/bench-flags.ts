import { Command, Option } from 'commander';
import { parseCommandLine, EXIT_USAGE, UsageError } from '@bnpl/command-line';

/**
 * The flags of the smaller bench entry points (materialize, point-in-time, freshness): positive integers
 * with defaults, and optional strings. `--help` prints `usage` and exits 0; anything malformed prints the
 * problem and `usage` and exits 2.
 */
export function parseBenchFlags<I extends string, S extends string>(
  argv: readonly string[],
  usage: string,
  ints: Readonly<Record<I, number>>,
  strings: readonly S[],
): Record<I, number> & Partial<Record<S, string>> {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n\n${usage}\n`);
    process.exit(EXIT_USAGE);
  };
  // `usage` is the help text, so commander's own help is off and --help is a plain flag.
  const program = new Command().helpOption(false).option('--help');
  const flags = new Map<string, Option>();
  for (const name of [...Object.keys(ints), ...strings]) {
    const option = new Option(`--${name} <value>`);
    flags.set(name, option);
    program.addOption(option);
  }
  let values: Record<string, string | true | undefined> = {};
  try {
    const line = parseCommandLine(program, argv);
    if (line.kind === 'parsed') values = line.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(error.message);
  }
  if (values['help']) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const valueOf = (name: string) => values[flags.get(name)?.attributeName() ?? name];
  const result: Record<string, number | string> = {};
  for (const [name, fallback] of Object.entries(ints) as Array<[string, number]>) {
    const raw = valueOf(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${String(raw)}"`);
    result[name] = n;
  }
  for (const name of strings) {
    const raw = valueOf(name);
    if (typeof raw === 'string') result[name] = raw;
  }
  return result as Record<I, number> & Partial<Record<S, string>>;
}
