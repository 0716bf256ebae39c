/**
 * An unexpected error for a log line: its stack and the chain of its causes (at most 5 deep), so that an
 * internal error answered as a bare 500 / INTERNAL can still be diagnosed from the service's log.
 */
export function describeErrorChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
  }
  return parts.join('\ncaused by: ');
}
