export interface ExponentialBackoffOptions {
  /** The first wait, in milliseconds. */
  readonly initialMs: number;
  /** The longest wait, in milliseconds: growth stops here. */
  readonly maxMs: number;
  /** How much each wait grows over the one before; default 2. */
  readonly factor?: number;
}

/** The wait before retry `attempt`, in milliseconds; `attempt` is 0 for the first retry. */
export type BackoffSchedule = (attempt: number) => number;

/**
 * Capped exponential backoff, as a pure schedule: the caller keeps the attempt count and the timer.
 *
 * Attempt 0 waits `initialMs`; each later attempt waits `factor` times the one before, but never more than
 * `maxMs`. That is the step-by-step loop `wait = Math.min(wait * factor, maxMs)` in closed form, so a
 * first wait configured above `maxMs` is still waited once, as such loops always did. No jitter: the
 * callers' waits stay exactly what their logs and tests state.
 *
 * @throws RangeError when a wait is negative or not finite, or `factor` is below 1 (set up once, so a
 *   misconfiguration fails at construction, not at the first failure).
 */
export function exponentialBackoff({ initialMs, maxMs, factor = 2 }: ExponentialBackoffOptions): BackoffSchedule {
  for (const [name, value] of [['initialMs', initialMs], ['maxMs', maxMs]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`backoff ${name} must be a finite number >= 0, got ${value}`);
  }
  if (!Number.isFinite(factor) || factor < 1) throw new RangeError(`backoff factor must be a finite number >= 1, got ${factor}`);
  return (attempt) => {
    if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`backoff attempt must be an integer >= 0, got ${attempt}`);
    // factor ** attempt may overflow to Infinity after many attempts: Infinity is capped below, but
    // 0 * Infinity is NaN, so a zero first wait stays zero without the multiplication.
    if (attempt === 0 || initialMs === 0) return initialMs;
    return Math.min(initialMs * factor ** attempt, maxMs);
  };
}
