import { parseLocalStackArgs, UsageError, type LocalStackOptions } from './local-stack-args';

const withRedis = { root: '/repo', redisServerOnPath: () => true };
const withoutRedis = { root: '/repo', redisServerOnPath: () => false };

const run = (argv: string[], defaults = withRedis): LocalStackOptions => {
  const command = parseLocalStackArgs(argv, defaults);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
};
const usageError = (...argv: string[]): string => {
  try {
    parseLocalStackArgs(argv, withRedis);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('parseLocalStackArgs', () => {
  it('has the documented defaults, Redis when redis-server is on PATH', () => {
    expect(run([])).toEqual({ dataDir: '/repo/.data', customers: 10_000, seed: 42, onlineStore: 'redis', messaging: 'auto', portOffset: 0, verbose: false });
    expect(run([], withoutRedis).onlineStore).toBe('memory');
  });

  it('takes every option', () => {
    expect(run(['--data-dir', '/tmp/stack', '--customers', '0', '--seed=7', '--online-store', 'memory', '--messaging', 'memory', '--port-offset', '100', '--verbose'], withoutRedis)).toEqual({
      dataDir: '/tmp/stack',
      customers: 0,
      seed: 7,
      onlineStore: 'memory',
      messaging: 'memory',
      portOffset: 100,
      verbose: true,
    });
    expect(run(['--messaging', 'pubsub']).messaging).toBe('pubsub');
  });

  it('does not look for redis-server when the online store is given', () => {
    const redisServerOnPath = jest.fn(() => true);
    expect(run(['--online-store', 'memory'], { root: '/repo', redisServerOnPath }).onlineStore).toBe('memory');
    expect(redisServerOnPath).not.toHaveBeenCalled();
  });

  it('recognises --help (only the long form, as before)', () => {
    expect(parseLocalStackArgs(['--help'], withRedis)).toEqual({ kind: 'help' });
    expect(usageError('-h')).toBe("Unknown option '-h'");
  });

  it('rejects bad flags with a message naming them', () => {
    expect(usageError('--customers', 'x')).toBe('--customers must be an integer >= 0, got "x"');
    expect(usageError('--seed', '-1')).toBe('--seed must be an integer >= 0, got "-1"');
    expect(usageError('--online-store', 'x')).toBe('--online-store must be redis or memory, got "x"');
    expect(usageError('--messaging', 'x')).toBe('--messaging must be pubsub or memory, got "x"');
    expect(usageError('--messaging', 'pubsub', '--online-store', 'memory')).toBe('--messaging pubsub needs the Redis online store: the services then run as separate processes');
    expect(usageError('--port-offset', '20000')).toBe('--port-offset must be at most 11215 (ports go up to 54320 + offset), got 20000');
    expect(run(['--port-offset', '11215']).portOffset).toBe(11_215);
    expect(usageError('--bogus')).toBe("Unknown option '--bogus'");
    expect(usageError('extra')).toBe("Unexpected argument 'extra'. This command does not take positional arguments");
    expect(usageError('--seed')).toBe("Option '--seed <value>' argument missing");
  });

  it('checks the online store and messaging before the numbers, as before', () => {
    expect(usageError('--customers', 'x', '--online-store', 'y')).toBe('--online-store must be redis or memory, got "y"');
  });
});
