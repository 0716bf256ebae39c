import { Command } from 'commander';
import { parseCommandLine } from './parse-command-line';
import { UsageError } from './usage-error';

/** A tool that writes its own usage text: help is a plain flag. */
const flags = () => new Command('tool').helpOption(false).option('--customers <value>').option('--data-dir <value>').option('--truncate').option('-h, --help');

/** A tool of subcommands with commander's own help; the action says which one ran. */
const commands = (ran: string[]) => {
  const program = new Command('deploy').description('Deploy checks.');
  program.command('check').argument('<dir>').action((dir: string) => void ran.push(`check ${dir}`));
  program.command('write').argument('<file>').action((file: string) => void ran.push(`write ${file}`));
  return program;
};

const usageError = (program: Command, ...argv: string[]): string => {
  try {
    parseCommandLine(program, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('parseCommandLine', () => {
  it('returns the options by attribute name and the operands', () => {
    expect(parseCommandLine(flags(), ['--customers', '5', '--data-dir=/tmp/d', '--truncate'])).toEqual({ kind: 'parsed', options: { customers: '5', dataDir: '/tmp/d', truncate: true }, operands: [] });
    expect(parseCommandLine(flags(), [])).toEqual({ kind: 'parsed', options: {}, operands: [] });
  });

  it('takes the next word as a value, even one starting with a dash or empty (the tool validates it)', () => {
    expect(parseCommandLine(flags(), ['--customers', '-1'])).toMatchObject({ options: { customers: '-1' } });
    expect(parseCommandLine(flags(), ['--customers', ''])).toMatchObject({ options: { customers: '' } });
  });

  it('reports a plain help flag as an option, after the grammar is checked', () => {
    expect(parseCommandLine(flags(), ['-h'])).toMatchObject({ kind: 'parsed', options: { help: true } });
    expect(usageError(flags(), '--bogus', '--help')).toBe("Unknown option '--bogus'");
  });

  it("returns commander's help text, printing nothing", () => {
    const stdout = jest.spyOn(process.stdout, 'write');
    try {
      const line = parseCommandLine(commands([]), ['--help']);
      expect(line.kind === 'help' && line.text).toMatch(/^Usage: deploy \[options\] \[command\][\s\S]*check <dir>[\s\S]*write <file>/);
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stdout.mockRestore();
    }
  });

  it("returns a subcommand's help, asked for either way", () => {
    const asked = parseCommandLine(commands([]), ['help', 'check']);
    expect(asked.kind === 'help' && asked.text).toMatch(/^Usage: deploy check \[options\] <dir>/);
    expect(parseCommandLine(commands([]), ['check', '--help'])).toEqual(asked);
  });

  it('runs the action of the subcommand given', () => {
    const ran: string[] = [];
    parseCommandLine(commands(ran), ['write', 'out.json']);
    expect(ran).toEqual(['write out.json']);
  });

  it('words grammar errors as the tools did before, naming the flag or word', () => {
    expect(usageError(flags(), '--bogus')).toBe("Unknown option '--bogus'");
    expect(usageError(flags(), '-x')).toBe("Unknown option '-x'");
    expect(usageError(flags(), '--bogus=3')).toBe("Unknown option '--bogus'");
    expect(usageError(flags(), '--truncate=yes')).toBe("Option '--truncate' does not take an argument");
    expect(usageError(flags(), '--help=1')).toBe("Option '-h, --help' does not take an argument");
    expect(usageError(flags(), 'stray')).toBe("Unexpected argument 'stray'. This command does not take positional arguments");
    expect(usageError(flags(), '--', '--customers')).toBe("Unexpected argument '--customers'. This command does not take positional arguments");
    expect(usageError(flags(), '--customers')).toBe("Option '--customers <value>' argument missing");
  });

  it('names the missing or unknown subcommand and argument', () => {
    expect(usageError(commands([]))).toBe('Expected a command: check or write');
    expect(usageError(commands([]), 'deploy')).toBe("Unknown command 'deploy'");
    expect(usageError(commands([]), 'check')).toBe("Missing required argument 'dir'");
    expect(usageError(commands([]), 'check', 'a', 'b')).toMatch(/^Too many arguments for 'check'\. Expected 1 argument but got 2/);
  });

  it('prints nothing on a usage error and never exits', () => {
    const stderr = jest.spyOn(process.stderr, 'write');
    const exit = jest.spyOn(process, 'exit');
    try {
      usageError(flags(), '--bogus');
      usageError(commands([]));
      expect(stderr).not.toHaveBeenCalled();
      expect(exit).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      exit.mockRestore();
    }
  });
});
