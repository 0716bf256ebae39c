import { build, type Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds (microsecond resolution, 3 significant digits). */
export interface LatencyMs {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** An error message and how many requests failed with it. */
export interface ErrorSample {
  readonly message: string;
  readonly count: number;
}

/** What one measured load produced. */
export interface LoadSummary {
  /** Requests completed in the measured window, successful or not. */
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  /** The first distinct error messages, with their counts. */
  readonly errorSamples: readonly ErrorSample[];
  /** Successful requests per second of the measured window. */
  readonly throughputRps: number;
  /** Of successful requests only (a failure can be fast or slow for reasons unrelated to serving); null when none succeeded. */
  readonly latencyMs: LatencyMs | null;
}

/** Values above this (60 s) are clamped: a request that slow is an outage, its exact duration does not matter. */
const HIGHEST_MICROS = 60_000_000;
const MAX_DISTINCT_ERRORS = 5;
const MAX_MESSAGE_LENGTH = 300;

/** An HDR histogram in microseconds, reported in milliseconds. */
export class MicrosHistogram {
  readonly #histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROS, numberOfSignificantValueDigits: 3, autoResize: false });

  get count(): number {
    return this.#histogram.totalCount;
  }

  recordMs(ms: number): void {
    this.#histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * 1000))));
  }

  /** Percentiles and max in ms; null when nothing was recorded. */
  summary(): LatencyMs | null {
    const h = this.#histogram;
    if (h.totalCount === 0) return null;
    const ms = (micros: number) => Math.round(micros) / 1000;
    return {
      p50: ms(h.getValueAtPercentile(50)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
      mean: ms(h.mean),
    };
  }
}

/** Collects the outcome of each measured request: latencies of successes, counts and messages of failures. */
export class LatencyRecorder {
  readonly #latencies = new MicrosHistogram();
  readonly #errorCounts = new Map<string, number>();
  #errors = 0;

  ok(latencyMs: number): void {
    this.#latencies.recordMs(latencyMs);
  }

  error(error: unknown): void {
    this.#errors++;
    const message = describeError(error);
    const seen = this.#errorCounts.get(message);
    if (seen !== undefined) this.#errorCounts.set(message, seen + 1);
    else if (this.#errorCounts.size < MAX_DISTINCT_ERRORS) this.#errorCounts.set(message, 1);
  }

  /** The summary of everything recorded, with throughput over `windowMs`. */
  summary(windowMs: number): LoadSummary {
    const ok = this.#latencies.count;
    return {
      requests: ok + this.#errors,
      ok,
      errors: this.#errors,
      errorSamples: [...this.#errorCounts].map(([message, count]) => ({ message, count })),
      throughputRps: windowMs > 0 ? Math.round((ok / windowMs) * 1000 * 10) / 10 : 0,
      latencyMs: this.#latencies.summary(),
    };
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}
