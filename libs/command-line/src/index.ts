// Public API of @bnpl/command-line: how the tools under tools/ read their arguments. One parser
// (commander), kept pure so that each tool's "argv in, options or UsageError out" function is unit-tested.
export { UsageError, EXIT_USAGE } from './lib/usage-error';
export { parseCommandLine, type CommandLine } from './lib/parse-command-line';
export { parseIntegerFlag } from './lib/integer-flag';
