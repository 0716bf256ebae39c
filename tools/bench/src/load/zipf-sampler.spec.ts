import { ZipfSampler } from './zipf-sampler';

describe('ZipfSampler', () => {
  it('is skewed: id 1 far more frequent than id 1000, and frequencies follow 1/k^s', () => {
    const sampler = new ZipfSampler({ n: 100_000, exponent: 0.99, seed: 7 });
    const counts = new Map<number, number>();
    const draws = 200_000;
    for (let i = 0; i < draws; i++) {
      const id = sampler.next();
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const c1 = counts.get(1) ?? 0;
    const c2 = counts.get(2) ?? 0;
    const c1000 = counts.get(1000) ?? 0;
    expect(c1).toBeGreaterThan(50 * Math.max(1, c1000));
    // P(1) / P(2) = 2^0.99 ~ 1.99
    expect(c1 / c2).toBeGreaterThan(1.8);
    expect(c1 / c2).toBeLessThan(2.2);
    // P(1) = 1 / H(100000, 0.99) ~ 0.0818
    expect(c1 / draws).toBeGreaterThan(0.075);
    expect(c1 / draws).toBeLessThan(0.089);
  });

  it('is uniform with exponent 0', () => {
    const sampler = new ZipfSampler({ n: 4, exponent: 0, seed: 1 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[sampler.next() - 1]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });

  it('gives the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number) => {
      const s = new ZipfSampler({ n: 1_000, seed });
      return Array.from({ length: 50 }, () => s.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('stays within 1..n, reaching both ends', () => {
    const sampler = new ZipfSampler({ n: 3, exponent: 0.5, seed: 3 });
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const id = sampler.next();
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThanOrEqual(1);
      expect(id).toBeLessThanOrEqual(3);
      seen.add(id);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(new ZipfSampler({ n: 1, seed: 1 }).next()).toBe(1);
  });

  it('draws distinct ids for batches and refuses more than n', () => {
    const sampler = new ZipfSampler({ n: 150, seed: 5 });
    const batch = sampler.nextDistinct(100);
    expect(new Set(batch).size).toBe(100);
    expect(() => sampler.nextDistinct(151)).toThrow(RangeError);
  });

  it('rejects a bad n or exponent', () => {
    expect(() => new ZipfSampler({ n: 0, seed: 1 })).toThrow(RangeError);
    expect(() => new ZipfSampler({ n: 10, exponent: -1, seed: 1 })).toThrow(RangeError);
  });
});
