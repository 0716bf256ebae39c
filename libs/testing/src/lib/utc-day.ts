const DAY_MS = 86_400_000;

/**
 * Waits, when a span of `spanMs` starting now would cross a UTC midnight, until that midnight has passed
 * (plus `marginMs`); otherwise returns at once. For suites whose expected values depend on the UTC date
 * (ages, day windows): the stream's history moves those at midnight only when something recomputes them
 * (README, "Training data"), so a run across midnight compares two days. Resolves with the wait in ms.
 * `now` and `sleep` are for the spec.
 */
export async function awayFromUtcMidnight(
  spanMs: number,
  marginMs = 2_000,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<number> {
  const start = now();
  const nextMidnight = Math.floor(start / DAY_MS) * DAY_MS + DAY_MS;
  if (start + spanMs < nextMidnight) return 0;
  const wait = nextMidnight - start + marginMs;
  await sleep(wait);
  return wait;
}
