import { cumulative, Prng } from './prng';

describe('Prng', () => {
  it('is deterministic: the same seed, stream and index give the same sequence', () => {
    const a = new Prng(42, 2, 7);
    const b = new Prng(42, 2, 7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    const ys = Array.from({ length: 1000 }, () => b.next());
    expect(xs).toEqual(ys);
  });

  it('is pinned: changing the algorithm would silently change every generated dataset', () => {
    const rng = new Prng(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([1681979000, 46613915, 2828955330]);
  });

  it('reseeding an instance is the same as a new instance', () => {
    const reused = new Prng(1, 1, 1);
    reused.next();
    reused.reseed(99, 3, 123_456);
    const fresh = new Prng(99, 3, 123_456);
    for (let i = 0; i < 100; i++) expect(reused.next()).toBe(fresh.next());
  });

  it('gives unrelated sequences for different seeds, streams, indexes and high seed bits', () => {
    const first = (seed: number, stream: number, index: number) =>
      new Prng(seed, stream, index).next();
    const values = new Set([
      first(42, 2, 1),
      first(43, 2, 1),
      first(42, 1, 1),
      first(42, 2, 2),
      first(42 + 2 ** 32, 2, 1),
      first(42, 2, 1 + 2 ** 32),
    ]);
    expect(values.size).toBe(6);
  });

  it('draws uniform floats in [0, 1) and integers within inclusive bounds', () => {
    const rng = new Prng(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      const f = rng.float();
      min = Math.min(min, f);
      max = Math.max(max, f);
      sum += f;
      seen.add(rng.int(3, 6));
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('picks by cumulative weight', () => {
    const rng = new Prng(11);
    const weights = cumulative([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.weighted(weights)]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeCloseTo(3, 0);
  });

  it('draws normals with mean 0 and standard deviation 1', () => {
    const rng = new Prng(5);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sq / n)).toBeCloseTo(1, 1);
  });
});
