import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LatencyRecorder, type LoadSummary } from './latency-recorder';

export interface ClosedLoopOptions {
  /** One request; resolves on success, rejects with a message on failure. */
  readonly call: () => Promise<unknown>;
  /** Workers, each with one request outstanding at a time. */
  readonly concurrency: number;
  readonly durationMs: number;
  /** Run first and not measured: connections open, JIT and caches warm. */
  readonly warmupMs: number;
  /** Ends the run early (Ctrl-C): workers send nothing more and the summary covers what completed. */
  readonly signal?: AbortSignal;
}

export interface ClosedLoopSummary extends LoadSummary {
  readonly kind: 'closed';
  readonly concurrency: number;
  /** Length of the measured window, from the end of the warm-up to the last measured completion. */
  readonly windowMs: number;
}

/**
 * Closed-loop load: `concurrency` workers each send a request, wait for its answer, then send the next, for
 * warm-up + duration. This finds the saturation throughput; its latencies are those at saturation (each
 * worker waits for the server, so it never measures queueing the server did not see). Requests started
 * during the warm-up are not measured.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopSummary> {
  const recorder = new LatencyRecorder();
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let lastMeasured = measureFrom;

  const worker = async () => {
    while (performance.now() < end && !options.signal?.aborted) {
      const sent = performance.now();
      try {
        await options.call();
        const done = performance.now();
        if (sent >= measureFrom) {
          recorder.ok(done - sent);
          lastMeasured = Math.max(lastMeasured, done);
        }
      } catch (error) {
        if (sent >= measureFrom) {
          recorder.error(error);
          lastMeasured = Math.max(lastMeasured, performance.now());
        }
        // A target that fails at once (closed client, refused connection) must not starve the event loop.
        await nextTurn();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const windowMs = lastMeasured - measureFrom;
  return { kind: 'closed', concurrency: options.concurrency, windowMs: Math.round(windowMs), ...recorder.summary(windowMs) };
}
