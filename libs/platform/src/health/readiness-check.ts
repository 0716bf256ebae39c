/**
 * A dependency a service needs in order to do its work (PostgreSQL, Redis, Pub/Sub...).
 *
 * `check` resolves (optionally with details to show on /health/ready) when the dependency answers and
 * rejects with an Error saying what is wrong when it does not. It does not need to bound its own time:
 * the health controller gives every check `timeoutMs` and reports a check that takes longer as down.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<Record<string, unknown> | void>;
}

/** Rejects with "<name> did not answer within N ms" if `promise` has not settled in time. */
export function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
