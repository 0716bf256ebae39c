/** Where the read path reports what it cannot surface to the caller (refill failures, breaker changes). */
export interface ServingLogger {
  log(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
}

export const NO_LOGGER: ServingLogger = { log: () => undefined, warn: () => undefined };

/** One line for a log context: the error's class and message, or the thrown value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
