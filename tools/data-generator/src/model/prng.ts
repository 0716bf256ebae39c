/**
 * A small, fast, seeded PRNG (sfc32, "Small Fast Counter", by Chris Doty-Humphrey; passes PractRand and
 * BigCrush) with the draws the model needs.
 *
 * Every customer gets its own stream, derived from (seed, stream, index) by hashing, so a customer's rows
 * depend only on the seed and its id: batch sizes, slicing and concurrency cannot change the output.
 * Only 32-bit integer arithmetic and `Math.log/exp/cos/sqrt` are used; V8 implements those in software
 * (fdlibm), so the output is the same on every platform.
 */
export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number, stream = 0, index = 0) {
    this.reseed(seed, stream, index);
  }

  /** Restarts this generator on the stream (seed, stream, index); reusing one instance avoids allocations. */
  reseed(seed: number, stream: number, index: number): this {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let h = fmix32(lo ^ 0x6a09e667);
    h = fmix32((h ^ hi) + 0x3c6ef372);
    h = fmix32((h ^ stream) + 0x9e3779b9);
    h = fmix32((h ^ (index >>> 0)) + 0xbb67ae85);
    h = fmix32(h ^ Math.floor(index / 0x1_0000_0000));
    let s = h;
    s = (s + 0x9e3779b9) | 0;
    this.a = fmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.b = fmix32(s);
    s = (s + 0x9e3779b9) | 0;
    this.c = fmix32(s);
    this.d = 1;
    // The recommended warm-up: the first outputs of sfc32 are still correlated with the seed words.
    for (let i = 0; i < 12; i++) this.next();
    return this;
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Index drawn from cumulative weights (ascending, last = total), by binary search. */
  weighted(cumulative: ArrayLike<number>): number {
    const x = this.float() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box-Muller; one of the pair is dropped to keep the stream stateless). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) is not allowed
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }
}

/** MurmurHash3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Cumulative sums of weights, for `Prng.weighted`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    out[i] = sum;
  }
  return out;
}
