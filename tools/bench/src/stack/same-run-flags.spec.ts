import { parseCommandLine, UsageError } from '@bnpl/command-line';
import { onlyFlag, sameRunCommand, sameRunOptions } from './same-run-flags';

const parse = (argv: string[]) => {
  const line = parseCommandLine<Record<string, string>>(sameRunCommand('example').option('--extra <n>', 'an extra flag', '5'), argv);
  if (line.kind === 'help') throw new Error('help');
  return line.options;
};

describe('same-run benchmark flags', () => {
  it('default to 10,000 customers, 8 s, 3 rounds and the report named after the benchmark', () => {
    const options = sameRunOptions(parse([]));
    expect(options).toMatchObject({ customers: 10_000, duration: 8, rounds: 3 });
    expect(options.report).toMatch(/tools\/bench\/reports\/example\.json$/);
    expect(options.dataDir).toBeUndefined();
    expect(parse([]).extra).toBe('5');
  });

  it('take the given values, the data directory resolved', () => {
    expect(sameRunOptions(parse(['--customers', '2000', '--duration', '3', '--rounds', '1', '--data-dir', 'relative/dir']))).toMatchObject({ customers: 2_000, duration: 3, rounds: 1, dataDir: expect.stringMatching(/^\/.*relative\/dir$/) });
  });

  it('refuse what is not a usable number, naming the flag', () => {
    expect(() => sameRunOptions(parse(['--customers', '50']))).toThrow(/--customers/);
    expect(() => sameRunOptions(parse(['--rounds', 'three']))).toThrow(UsageError);
  });

  it('take rest or grpc for --only, nothing else', () => {
    expect(onlyFlag('rest')).toBe('rest');
    expect(onlyFlag('grpc')).toBe('grpc');
    expect(() => onlyFlag('soap')).toThrow(/--only must be rest or grpc, got "soap"/);
  });
});
