import { parseCliArgs, UsageError, type BenchOptions } from './cli-args';
import { SCENARIOS } from './scenarios/scenario-names';

const ROOT = '/repo';
const run = (...argv: string[]): BenchOptions => {
  const command = parseCliArgs(argv, ROOT);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
};
const usageError = (...argv: string[]): string => {
  try {
    parseCliArgs(argv, ROOT);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parseCliArgs', () => {
  it('has the documented defaults', () => {
    expect(run()).toEqual({
      customers: 100_000,
      durationSeconds: 15,
      warmupSeconds: 3,
      concurrency: 32,
      zipfExponent: 0.99,
      seed: 1,
      reportPath: '/repo/tools/bench/reports/serving.json',
      scenarios: [...SCENARIOS],
    });
  });

  it('takes every option', () => {
    const options = run('--customers', '300', '--duration', '1.5', '--warmup', '0', '--concurrency', '8', '--zipf', '1.2', '--seed', '9', '--report', '/tmp/r.json', '--data-dir', '/tmp/d');
    expect(options).toMatchObject({ customers: 300, durationSeconds: 1.5, warmupSeconds: 0, concurrency: 8, zipfExponent: 1.2, seed: 9, reportPath: '/tmp/r.json', dataDir: '/tmp/d' });
  });

  it('runs the scenarios asked for in the canonical order', () => {
    expect(run('--scenarios', 'rest-closed,baseline-rest-closed').scenarios).toEqual(['baseline-rest-closed', 'rest-closed']);
    expect(run('--scenarios', ' grpc1-open-half , grpc1-closed ').scenarios).toEqual(['grpc1-closed', 'grpc1-open-half']);
  });

  it('recognises help', () => {
    expect(parseCliArgs(['--help'], ROOT)).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'], ROOT)).toEqual({ kind: 'help' });
  });

  it('rejects bad flags with a message naming them', () => {
    expect(usageError('--customers', 'lots')).toBe('--customers must be an integer >= 100, got "lots"');
    expect(usageError('--customers', '99')).toContain('>= 100');
    expect(usageError('--duration', '0')).toBe('--duration must be a number > 0, got "0"');
    expect(usageError('--warmup=-1')).toBe('--warmup must be a number >= 0, got "-1"');
    expect(usageError('--concurrency', '2.5')).toContain('--concurrency must be an integer');
    expect(usageError('--zipf', 'x')).toContain('--zipf');
    expect(usageError('--seed', '')).toContain('--seed');
    expect(usageError('--report', '')).toBe('--report must not be empty');
    expect(usageError('--frobnicate')).toContain("Unknown option '--frobnicate'");
    expect(usageError('extra')).toContain('extra');
    expect(usageError('--scenarios', 'rest-closed,nope')).toContain('unknown scenario(s): nope');
    expect(usageError('--scenarios', ',')).toBe('--scenarios is empty');
    expect(usageError('--scenarios', 'rest-open-half')).toBe('scenario rest-open-half takes its rate from rest-closed: add rest-closed to --scenarios');
  });
});
