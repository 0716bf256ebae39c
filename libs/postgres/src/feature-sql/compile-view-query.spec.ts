import { bnplCatalog, compute, defineCatalog, feature, where } from '@bnpl/feature-definitions';
import { compileViewQuery, compileViewsQuery } from './compile-view-query';
import { renderPredicate } from './render-predicate';
import { sqlLiteral } from './sql-text';

describe('compileViewQuery', () => {
  it.each(bnplCatalog.views.map((v) => [v.name, v] as const))('compiles %s to portable SQL in both modes', (_name, view) => {
    const ids = compileViewQuery(view, 'ids');
    const range = compileViewQuery(view, 'range');
    for (const sql of [ids, range]) {
      expect(sql).not.toMatch(/FILTER\s*\(/i);
      expect(sql).not.toMatch(/\/\//);
      expect(sql).toContain(`FROM "${view.entity.source.name}" e`);
      for (const f of view.features) expect(sql).toContain(`AS "${f.name}"`);
    }
    expect(ids).toContain('= ANY($2::bigint[])');
    expect(ids).not.toContain('$3');
    expect(range).toContain('BETWEEN $2::bigint AND $3::bigint');
    expect(range).toMatch(/ORDER BY e\."id"$/);
    // One CTE per source, each restricted to the requested ids.
    expect(ids.match(/= ANY\(\$2::bigint\[\]\)/g)).toHaveLength(view.plan.sources.length + 1);
  });

  it('restricts a source to its widest window only when every aggregate of it is windowed', () => {
    const repayment = compileViewQuery(bnplCatalog.getView('customer_repayment'), 'ids');
    expect(repayment).toMatch(/WHERE t\."customer_id" = ANY\(\$2::bigint\[\]\)\n\s+AND \(t\."due_date" > .* - 365 AND/);
    const exposure = compileViewQuery(bnplCatalog.getView('customer_exposure'), 'ids');
    expect(exposure).not.toContain('AT TIME ZONE');
  });

  it('renders literals and predicates safely', () => {
    expect(sqlLiteral("o'brien")).toBe("'o''brien'");
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(() => sqlLiteral(1.5)).toThrow();
    expect(renderPredicate(where.and(where.in('status', ['a', 'b']), where.or(where.isNull('x'), where.gte('n', 3))), 't')).toBe(
      `((t."status" IN ('a', 'b')) AND ((t."x" IS NULL) OR (t."n" >= 3)))`,
    );
  });

  it('compiles a view without aggregates to a plain select', () => {
    const catalog = defineCatalog({
      entities: bnplCatalog.entities,
      sources: bnplCatalog.sources,
      views: [
        {
          name: 'only_attributes',
          entity: 'merchant',
          owner: 'o',
          description: 'd',
          ttlSeconds: 60,
          features: [feature({ name: 'category', valueType: 'STRING', default: '', description: 'd', compute: compute.attribute('category') })],
        },
      ],
    });
    const sql = compileViewQuery(catalog.getView('only_attributes'), 'ids');
    expect(sql).not.toContain('WITH');
    expect(sql).not.toContain('__currency');
  });
});

describe('compileViewsQuery', () => {
  const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer');

  it("scans each source table once for all the views, and names each view's features apart", () => {
    const { sql, columns } = compileViewsQuery(customerViews, 'range');
    const scans = (table: string) => sql.split(`FROM "${table}" t`).length - 1;
    // Two customer views read the instalments, two the orders: one CTE each.
    expect(customerViews.filter((v) => v.plan.sources.some((sp) => sp.source.name === 'installments')).length).toBeGreaterThan(1);
    expect([scans('installments'), scans('orders'), scans('payments')]).toEqual([1, 1, 1]);
    expect(sql.split('FROM "customers" e').length - 1).toBe(1);
    expect(columns.map((c) => c.length)).toEqual(customerViews.map((v) => v.plan.features.length));
    for (const name of columns.flat()) expect(sql).toContain(` AS ${name}`);
    expect(new Set(columns.flat()).size).toBe(columns.flat().length);
    expect(sql).toMatch(/ORDER BY e\."id"$/);
  });

  it('keeps a window in a merged WHERE only when every aggregate of the table is windowed on one column', () => {
    const { sql } = compileViewsQuery(customerViews, 'range');
    const installments = sql.slice(sql.indexOf('FROM "installments" t'), sql.indexOf('GROUP BY', sql.indexOf('FROM "installments" t')));
    // The exposure view sums every open instalment (no window): the repayment view's 365-day window moves into its aggregates.
    expect(installments).not.toContain('due_date');
    expect(sql).toMatch(/CASE WHEN \(t\."due_date" > .* - 365/);
  });

  it('refuses no views, and views of two entities', () => {
    expect(() => compileViewsQuery([], 'range')).toThrow(RangeError);
    expect(() => compileViewsQuery([customerViews[0], bnplCatalog.getView('merchant_risk')], 'range')).toThrow(/one entity/);
  });
});
