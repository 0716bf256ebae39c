import CircuitBreaker from 'opossum';
import type { ServingLogger } from './serving-logger';

/** Circuit breaker settings for one dependency. */
export interface BreakerOptions {
  /** A call slower than this fails (and counts as a failure). */
  readonly timeoutMs?: number;
  /** How long the breaker stays open before letting one trial call through (half-open). */
  readonly resetTimeoutMs?: number;
  /** Failure rate, in %, over the rolling window above which the breaker opens. Default 50. */
  readonly errorThresholdPercentage?: number;
  /** Calls needed in the window before the rate is judged. Default 0: the first failure may open it. */
  readonly volumeThreshold?: number;
  /** The rolling window, in ms. Default 10 000. */
  readonly rollingCountTimeoutMs?: number;
  /**
   * A cheap check of the dependency (a ping), run every `probeIntervalMs` while the breaker is open: the
   * first that succeeds closes it, so reads return to the dependency as soon as it answers instead of
   * failing until `resetTimeoutMs` has passed and a trial read succeeded.
   */
  readonly probe?: () => Promise<unknown>;
  /** Default 250 ms. */
  readonly probeIntervalMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Builds an opossum breaker around `action`; `isNotAFailure` errors reject but do not count. */
export function createBreaker<A extends unknown[], R>(
  name: string,
  action: (...args: A) => Promise<R>,
  options: BreakerOptions,
  defaults: { timeoutMs: number; resetTimeoutMs: number },
  isNotAFailure: (error: unknown) => boolean,
): CircuitBreaker<A, R> {
  const timeout = options.timeoutMs ?? defaults.timeoutMs;
  const breaker = new CircuitBreaker<A, R>(action, {
    name,
    timeout,
    resetTimeout: options.resetTimeoutMs ?? defaults.resetTimeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 0,
    rollingCountTimeout: options.rollingCountTimeoutMs ?? 10_000,
    errorFilter: (error: Error) => isNotAFailure(error),
  });
  if (options.probe) closeOnProbe(breaker, options.probe, options.probeIntervalMs ?? 250, timeout);
  return breaker;
}

/**
 * While `breaker` is open, runs `probe` every `intervalMs` (each bounded by `timeoutMs`, one at a time)
 * and closes the breaker at the first success. Stops when the breaker closes or half-opens by itself, and
 * on shutdown.
 */
export function closeOnProbe(breaker: CircuitBreaker, probe: () => Promise<unknown>, intervalMs: number, timeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  let probing = false;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const tick = async () => {
    if (probing) return;
    if (!breaker.opened || breaker.halfOpen) return stop();
    probing = true;
    try {
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([probe(), new Promise((_, reject) => (bound = setTimeout(() => reject(new Error('probe timed out')), timeoutMs)))]).finally(() => clearTimeout(bound));
      if (breaker.opened && !breaker.halfOpen) breaker.close();
      stop();
    } catch {
      // Still down: the next tick tries again.
    } finally {
      probing = false;
    }
  };
  breaker.on('open', () => {
    if (timer) return;
    timer = setInterval(() => void tick(), intervalMs);
    timer.unref();
  });
  breaker.on('close', stop);
  breaker.on('shutdown', stop);
}

export function breakerState(breaker: { readonly opened: boolean; readonly halfOpen: boolean }): BreakerState {
  return breaker.halfOpen ? 'half-open' : breaker.opened ? 'open' : 'closed';
}

/**
 * Logs a breaker's transitions, once each: while it is open every call is skipped on purpose, and a line
 * per skipped call would flood the logs exactly when they matter.
 */
export function logBreakerTransitions(breaker: CircuitBreaker, dependency: string, logger: ServingLogger): void {
  breaker.on('open', () => logger.warn(`Circuit breaker for the ${dependency} opened: reads skip it until it half-opens`));
  breaker.on('halfOpen', () => logger.log(`Circuit breaker for the ${dependency} half-open: trying it again`));
  breaker.on('close', () => logger.log(`Circuit breaker for the ${dependency} closed: it answers again`));
}

/** True for the rejection of a call the open breaker skipped (opossum's `EOPENBREAKER`). */
export function isOpenBreakerRejection(error: unknown): boolean {
  return (error as { code?: string }).code === 'EOPENBREAKER';
}
