import { CommanderError, type Command, type OptionValues } from 'commander';
import { UsageError } from './usage-error';

export type CommandLine<O extends OptionValues> =
  /** The program's own help was asked for (`-h, --help` when commander's help option is kept). */
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'parsed'; readonly options: O; readonly operands: readonly string[] };

/**
 * Runs `program`'s grammar over `argv` (without node and the script) and keeps the process out of it:
 * commander neither prints nor exits. Every problem comes back as a UsageError naming the flag or argument,
 * for the tool's entry point to print with its usage and exit 2 (EXIT_USAGE).
 *
 * Configures `program` and its subcommands for that (exitOverride, output captured, no "did you mean"
 * suggestions), so build a fresh program per call. Subcommands report themselves through their `.action`,
 * which runs synchronously here. A tool that writes its own usage text declares `.helpOption(false)` and a
 * plain `-h, --help` boolean, and gets it in `options`, after every other check, as node:util's parseArgs did.
 *
 * The grammar errors are worded as the tools worded them before they moved to commander (node:util's
 * parseArgs): "Unknown option '--x'", "Unexpected argument 'x'. This command does not take positional
 * arguments", "Option '--x <value>' argument missing" (declare value flags as `<value>` to keep that one).
 */
export function parseCommandLine<O extends OptionValues = OptionValues>(program: Command, argv: readonly string[]): CommandLine<O> {
  let help = '';
  const quiet = (command: Command): void => {
    command
      .exitOverride()
      .showSuggestionAfterError(false)
      .configureOutput({ writeOut: (text) => void (help += text), writeErr: () => undefined, outputError: () => undefined });
    command.commands.forEach(quiet);
  };
  quiet(program);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // `--help`, or `help <command>` in a program of subcommands (commander.help, exit code 0).
    if (error.code === 'commander.helpDisplayed' || (error.code === 'commander.help' && error.exitCode === 0)) return { kind: 'help', text: help };
    throw new UsageError(wordAsBefore(program, error));
  }
  return { kind: 'parsed', options: program.opts<O>(), operands: [...program.args] };
}

function wordAsBefore(program: Command, error: CommanderError): string {
  const message = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.excessArguments':
      // Commander counts the extra arguments; naming the first one tells the user which word was not understood.
      if (program.commands.length === 0 && program.registeredArguments.length === 0 && program.args.length > 0) {
        return `Unexpected argument '${program.args[0]}'. This command does not take positional arguments`;
      }
      break;
    case 'commander.unknownOption': {
      // Commander reads `--flag=value` as one unknown option, also when --flag is a known boolean.
      const flag = /^unknown option '(--[^=]+)=.*'$/.exec(message)?.[1];
      const known = flag === undefined ? undefined : program.options.find((option) => option.long === flag);
      if (known) return `Option '${known.flags}' does not take an argument`;
      if (flag !== undefined) return `Unknown option '${flag}'`;
      break;
    }
    case 'commander.help':
      // A program of subcommands run without one (exit code 1): commander would print its help as the error.
      return `Expected a command: ${program.commands.map((command) => command.name()).join(' or ')}`;
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}
