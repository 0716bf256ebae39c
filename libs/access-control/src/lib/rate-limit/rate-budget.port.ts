/** What a RateBudget granted. */
export interface BudgetGrant {
  /** Requests granted now, from 0 to what was asked. */
  readonly granted: number;
  /** Requests left in the window after this grant (0 when it is used up). */
  readonly remaining: number;
  /** When the window ends (and a full budget is available again), in ms from now. */
  readonly windowEndsInMs: number;
}

/**
 * The budget every instance draws from: per key, `limit` requests per window of `windowMs` (a bucket of
 * `limit` tokens refilled at the start of each window), counted atomically where all instances see it.
 * Windows are aligned to the clock (whole seconds since the epoch), so that they follow each other without
 * gaps whoever asks first, and every instance knows when the current one ends.
 *
 * `take(key, wanted, limit)` grants `min(wanted, what is left)` and never more in total per window than
 * `limit`, however many instances take at once. It rejects (with any error) when the shared store cannot
 * answer; the caller then decides how to fail.
 */
export interface RateBudget {
  readonly windowMs: number;
  take(key: string, wanted: number, limit: number): Promise<BudgetGrant>;
  close(): Promise<void>;
}
