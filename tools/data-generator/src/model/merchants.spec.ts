import { CATEGORIES, COUNTRIES } from './catalog';
import { MerchantCatalog } from './merchants';
import { Prng } from './prng';

describe('MerchantCatalog', () => {
  const asOfDay = 20_089;

  it('is deterministic and covers every category even when small', () => {
    const a = new MerchantCatalog(42, 50, asOfDay);
    expect(new MerchantCatalog(42, 50, asOfDay).rows).toEqual(a.rows);
    expect(new Set(a.rows.map((m) => m.category)).size).toBe(CATEGORIES.length);
    expect(a.rows.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('makes some merchants riskier than others', () => {
    const catalog = new MerchantCatalog(42, 2_000, asOfDay);
    const factors = [...catalog.defaultFactor].sort((x, y) => x - y);
    expect(factors[factors.length - 1] / factors[0]).toBeGreaterThan(4);
    expect(Math.max(...catalog.refundRate)).toBeLessThanOrEqual(0.5);
  });

  it('picks merchants with category popularity, mostly from the customer country', () => {
    const catalog = new MerchantCatalog(7, 2_000, asOfDay);
    const rng = new Prng(1);
    const gb = COUNTRIES.findIndex((c) => c.code === 'GB');
    const byCategory = new Map<string, number>();
    let domestic = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const m = catalog.rows[catalog.pick(rng, gb)];
      byCategory.set(m.category, (byCategory.get(m.category) ?? 0) + 1);
      if (m.country === 'GB') domestic++;
    }
    expect(domestic / n).toBeGreaterThan(0.8);
    expect((byCategory.get('fashion') ?? 0) / n).toBeCloseTo(0.28, 1);
    expect(byCategory.get('fashion') ?? 0).toBeGreaterThan(byCategory.get('jewellery') ?? 0);
  });

  it('works with a single merchant', () => {
    const catalog = new MerchantCatalog(1, 1, asOfDay);
    const rng = new Prng(2);
    for (let i = 0; i < 100; i++) expect(catalog.pick(rng, 3)).toBe(0);
  });
});
