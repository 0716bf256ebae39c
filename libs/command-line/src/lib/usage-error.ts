/** The exit code of a command line a tool cannot run (unknown flag, bad value, missing argument). */
export const EXIT_USAGE = 2;

/** A command line the tool cannot run; the message names the flag or argument at fault. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
