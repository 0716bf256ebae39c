import { parseArgs } from 'node:util';

/**
 * The flags of the smaller bench entry points (materialize, point-in-time): positive integers with
 * defaults, and optional strings. `--help` prints `usage` and exits 0; anything malformed prints the
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
    process.exit(2);
  };
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const name of [...Object.keys(ints), ...strings]) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const result: Record<string, number | string> = {};
  for (const [name, fallback] of Object.entries(ints) as Array<[string, number]>) {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${String(raw)}"`);
    result[name] = n;
  }
  for (const name of strings) if (typeof values[name] === 'string') result[name] = values[name];
  return result as Record<I, number> & Partial<Record<S, string>>;
}
