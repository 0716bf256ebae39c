import { seededRandom } from '@bnpl/testing';

export interface ZipfSamplerOptions {
  /** Ids are 1..n; id k has probability proportional to 1 / k^exponent (id 1 is the hottest). */
  readonly n: number;
  /** The skew `s`; 0 is uniform, about 1 is typical of customer traffic. Default 0.99. */
  readonly exponent?: number;
  readonly seed: number;
}

/**
 * Draws Zipf-distributed ids from a precomputed cumulative distribution: O(n) memory (8 bytes per id, so
 * 16 MB for 2M ids) and O(log n) per sample by binary search. The same seed gives the same sequence.
 */
export class ZipfSampler {
  readonly n: number;
  readonly #cdf: Float64Array;
  readonly #random: () => number;

  constructor(options: ZipfSamplerOptions) {
    const { n, exponent = 0.99 } = options;
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    if (!Number.isFinite(exponent) || exponent < 0) throw new RangeError(`exponent must be >= 0, got ${exponent}`);
    this.n = n;
    this.#random = seededRandom(options.seed);
    const cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 1; k <= n; k++) {
      sum += 1 / Math.pow(k, exponent);
      cdf[k - 1] = sum;
    }
    for (let i = 0; i < n; i++) cdf[i] /= sum;
    // Rounding may leave the last entry a hair below 1; a draw at that edge must still land on id n.
    cdf[n - 1] = 1;
    this.#cdf = cdf;
  }

  /** One id in 1..n. */
  next(): number {
    const u = this.#random();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  }

  /**
   * `count` different ids (a batch request may not repeat an entity), each drawn from the distribution.
   * Throws when `count > n`.
   */
  nextDistinct(count: number): number[] {
    if (count > this.n) throw new RangeError(`cannot draw ${count} distinct ids from ${this.n}`);
    const ids = new Set<number>();
    while (ids.size < count) ids.add(this.next());
    return [...ids];
  }
}
