import { performance } from 'node:perf_hooks';
import { LatencyRecorder, MicrosHistogram, type LatencyMs, type LoadSummary } from './latency-recorder';

export interface OpenLoopOptions {
  /** One request; resolves on success, rejects with a message on failure. */
  readonly call: () => Promise<unknown>;
  /** Requests per second, sent on a fixed schedule whatever the answers do. */
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Run first at the same rate and not measured. */
  readonly warmupMs: number;
  /**
   * Requests outstanding at most; a request due while this many are in flight is not sent and counts as
   * an error, so that a stalled server cannot make the generator hold millions of requests. Default 10,000.
   */
  readonly maxInFlight?: number;
  /** A request sent this much after its intended time counts as late. Default 1 ms. */
  readonly lateThresholdMs?: number;
  /** Ends the run early (Ctrl-C): nothing more is sent and the summary covers what completed. */
  readonly signal?: AbortSignal;
}

/** How well the generator kept to its schedule (its own lag is included in every latency). */
export interface ScheduleStats {
  /** Measured requests sent more than `lateThresholdMs` after their intended time. */
  readonly late: number;
  readonly lateThresholdMs: number;
  /** Due while `maxInFlight` requests were outstanding: never sent, counted as errors. */
  readonly notSent: number;
  /** Delay between intended and actual send time. */
  readonly sendLagMs: LatencyMs | null;
}

export interface OpenLoopSummary extends LoadSummary {
  readonly kind: 'open';
  readonly targetRateRps: number;
  /**
   * The measured window: the duration, or longer when answers to requests due in it came later (the server
   * fell behind); throughput is over this window, so it is the rate actually served.
   */
  readonly windowMs: number;
  /** Requests that were due in the measured window. */
  readonly scheduled: number;
  readonly schedule: ScheduleStats;
}

/**
 * Open-loop load at a fixed rate (as wrk2 does): request i is due at `start + i / rate` and its latency is
 * measured from that intended time, not from when it was actually sent, so a server (or generator) that
 * falls behind shows up as latency instead of silently lowering the rate (coordinated omission).
 *
 * Sends happen on a timer and whenever an answer arrives, each time sending every request now due; timers
 * are used rather than a busy loop because the generator shares the machine's cores with the server.
 */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopSummary> {
  const { call, ratePerSecond, durationMs, warmupMs } = options;
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
  const maxInFlight = options.maxInFlight ?? 10_000;
  const lateThresholdMs = options.lateThresholdMs ?? 1;
  const intervalMs = 1000 / ratePerSecond;
  const total = Math.floor(((warmupMs + durationMs) * ratePerSecond) / 1000);
  const recorder = new LatencyRecorder();
  const sendLag = new MicrosHistogram();
  let late = 0;
  let notSent = 0;
  let scheduled = 0;

  return new Promise((resolve) => {
    const start = performance.now();
    const measureFrom = start + warmupMs;
    let next = 0;
    let inFlight = 0;
    let lastMeasured = measureFrom;
    let timer: NodeJS.Timeout | undefined;

    const finishIfDone = () => {
      if (next < total || inFlight > 0) return;
      clearTimeout(timer);
      const windowMs = Math.max(durationMs, lastMeasured - measureFrom);
      resolve({
        kind: 'open',
        targetRateRps: ratePerSecond,
        windowMs: Math.round(windowMs),
        scheduled,
        schedule: { late, lateThresholdMs, notSent, sendLagMs: sendLag.summary() },
        ...recorder.summary(windowMs),
      });
    };

    const pump = () => {
      if (options.signal?.aborted) next = total;
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const intended = start + next * intervalMs;
        next++;
        const measured = intended >= measureFrom;
        if (measured) {
          scheduled++;
          sendLag.recordMs(now - intended);
          if (now - intended > lateThresholdMs) late++;
        }
        if (inFlight >= maxInFlight) {
          if (measured) {
            notSent++;
            recorder.error(new Error(`not sent: ${maxInFlight} requests already in flight`));
          }
          continue;
        }
        inFlight++;
        void call()
          .then(
            () => {
              if (measured) recorder.ok(performance.now() - intended);
            },
            (error: unknown) => {
              if (measured) recorder.error(error);
            },
          )
          .finally(() => {
            if (measured) lastMeasured = Math.max(lastMeasured, performance.now());
            inFlight--;
            pump();
            finishIfDone();
          });
      }
      clearTimeout(timer);
      if (next < total) timer = setTimeout(pump, Math.max(0, start + next * intervalMs - performance.now()));
      finishIfDone();
    };
    pump();
  });
}
