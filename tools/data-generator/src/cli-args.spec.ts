import { parseCliArgs, UsageError } from './cli-args';

const URL = 'postgres://u:p@127.0.0.1:5432/bnpl';

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCliArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseCliArgs', () => {
  it('applies the defaults', () => {
    expect(parseCliArgs(['--database-url', URL], {})).toEqual({
      kind: 'generate',
      ifEmpty: false,
      options: { databaseUrl: URL, customers: 10_000, merchants: undefined, seed: 42, asOf: undefined, batchSize: undefined, truncate: false, migrate: false },
    });
  });

  it('reads every option', () => {
    const parsed = parseCliArgs(['--database-url', URL, '--customers', '2_000_000', '--merchants=12', '--seed', '7', '--as-of', '2024-02-29', '--batch-size', '500', '--truncate', '--migrate'], {});
    expect(parsed).toEqual({
      kind: 'generate',
      ifEmpty: false,
      options: { databaseUrl: URL, customers: 2_000_000, merchants: 12, seed: 7, asOf: new Date('2024-02-29T00:00:00Z'), batchSize: 500, truncate: true, migrate: true },
    });
  });

  it('takes --if-empty, and refuses it with --truncate', () => {
    const parsed = parseCliArgs(['--database-url', URL, '--if-empty'], {});
    expect(parsed.kind === 'generate' && parsed.ifEmpty).toBe(true);
    expect(() => parseCliArgs(['--database-url', URL, '--if-empty', '--truncate'], {})).toThrow('--if-empty and --truncate contradict each other');
  });

  it('takes the URL from DATABASE_URL when the flag is absent', () => {
    const parsed = parseCliArgs([], { DATABASE_URL: 'postgresql://localhost/x' });
    expect(parsed.kind === 'generate' && parsed.options.databaseUrl).toBe('postgresql://localhost/x');
  });

  it('truncates an ISO timestamp to its UTC day', () => {
    const parsed = parseCliArgs(['--database-url', URL, '--as-of', '2024-06-30T23:30:00-02:00'], {});
    expect(parsed.kind === 'generate' && parsed.options.asOf).toEqual(new Date('2024-07-01T00:00:00Z'));
  });

  it('recognises --help and -h', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [['--database-url', URL, '--bogus'], /unknown option '--bogus'/i],
    [['--database-url', URL, 'stray'], /unexpected argument 'stray'/i],
    [['--database-url', URL, '--customers', 'many'], /--customers must be a non-negative integer, got "many"/],
    [['--database-url', URL, '--customers=-5'], /--customers must be a non-negative integer, got "-5"/],
    [['--database-url', URL, '--customers', '-5'], /--customers/],
    [['--database-url', URL, '--customers', '1e6'], /--customers must be a non-negative integer/],
    [['--database-url', URL, '--customers', '1.5'], /--customers must be a non-negative integer/],
    [['--database-url', URL, '--customers', '999999999999'], /--customers must be between 0 and 100000000/],
    [['--database-url', URL, '--merchants', '0'], /--merchants must be between 1 and/],
    [['--database-url', URL, '--batch-size', '0'], /--batch-size must be between 1 and/],
    [['--database-url', URL, '--seed', 'abc'], /--seed must be a non-negative integer/],
    [['--database-url', URL, '--customers'], /--customers/],
    [['--database-url', 'not a url'], /--database-url is not a valid URL/],
    [['--database-url', 'http://localhost/db'], /must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [[], /--database-url is required/],
    [['--database-url', URL, '--as-of', 'yesterday'], /--as-of must be a date/],
    [['--database-url', URL, '--as-of', '2023-02-29'], /--as-of is not a calendar date/],
    [['--database-url', URL, '--as-of', '2024-13-01'], /--as-of is not a calendar date/],
    [['--database-url', URL, '--as-of', '1999-12-31'], /--as-of must be between 2000-01-01/],
  ])('rejects %j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });
});
