import { bnplCatalog } from '@bnpl/feature-definitions';
import { windowEdges } from './window-edges';

describe('windowEdges', () => {
  const day = new Date('2026-03-15T17:45:00Z');
  const edges = windowEdges(bnplCatalog, day);
  const edge = (table: string, entity = 'customer') => edges.find((e) => e.table === table && e.entity === entity);

  it('names, per windowed source, the dates that enter (the day) and leave (day - N) each window', () => {
    // customer_repayment: instalments by due date over 90 and 365 days (and 30 for missed payments).
    expect(edge('installments')).toEqual({
      entity: 'customer',
      table: 'installments',
      keyColumn: 'customer_id',
      timeColumn: 'due_date',
      columnType: 'DATE',
      views: ['customer_repayment'],
      dates: ['2025-03-15', '2025-12-15', '2026-02-13', '2026-03-15'],
    });
    // Payments: 7-day window of failed attempts, by attempt time.
    expect(edge('payments')).toMatchObject({ timeColumn: 'attempted_at', columnType: 'TIMESTAMP', views: ['customer_repayment'], dates: ['2026-03-08', '2026-03-15'] });
  });

  it('covers every windowed aggregate of the catalog and nothing without a window', () => {
    const expected = new Set<string>();
    for (const view of bnplCatalog.views)
      for (const source of view.plan.sources) if (source.aggregates.some((a) => a.window)) expected.add(`${view.entity.name}:${source.source.name}:${view.name}`);
    const got = new Set(edges.flatMap((e) => e.views.map((v) => `${e.entity}:${e.table}:${v}`)));
    expect(got).toEqual(expected);
    // Exposure has no window: it never moves with the clock.
    expect(edges.some((e) => e.views.includes('customer_exposure'))).toBe(false);
    // Orders reach merchants too, through merchant_id.
    expect(edge('orders', 'merchant')?.keyColumn).toBe('merchant_id');
  });

  it('ignores the time of day', () => {
    expect(windowEdges(bnplCatalog, new Date('2026-03-15T00:00:00Z'))).toEqual(edges);
  });
});
