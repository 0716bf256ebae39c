import { bnplCatalog } from '@bnpl/feature-definitions';
import type { ChangeOperation, SourceChange } from '../ports/change-feed.port';
import { AffectedEntities, ChangeRouter, type SkipReason } from './change-router';

/** Stored views of `entity` that read `table`, derived from the catalog's plans (own table included). */
function viewsReading(table: string, entity: string): string[] {
  return bnplCatalog.views
    .filter((v) => v.entity.name === entity && (v.entity.source.name === table || v.plan.sources.some((s) => s.source.name === table)))
    .map((v) => v.name)
    .sort();
}

/** A change with every declared column of `table`, as pgoutput sends them. */
function change(table: string, op: ChangeOperation, rows: { newRow?: Record<string, unknown>; oldRow?: Record<string, unknown> | null; columns?: string[] }): SourceChange {
  const declared = bnplCatalog.sources.find((s) => s.name === table);
  return { schema: 'public', table, op, columns: rows.columns ?? Object.keys(declared?.columns ?? {}), newRow: rows.newRow, oldRow: rows.oldRow };
}

// One fixed instant: two rows built a millisecond apart would differ in their times and route as a change of them.
const AT = new Date('2026-01-01T00:00:00Z');
const installment = (customerId: unknown) => ({ id: '900', order_id: '500', customer_id: customerId, seq: 1, amount_minor: '2500', currency: 'EUR', due_date: '2024-11-01', status: 'scheduled', paid_at: null, days_past_due: 0, updated_at: AT });
const order = (customerId: unknown, merchantId: unknown) => ({ id: '500', customer_id: customerId, merchant_id: merchantId, amount_minor: '10000', currency: 'EUR', installment_count: 4, status: 'active', created_at: AT, updated_at: AT });

/** Routes one change; returns what it affected and every skip reported, in order. */
function route(router: ChangeRouter, c: SourceChange) {
  const affected = new AffectedEntities();
  const skips: Array<[SkipReason, string, string | undefined]> = [];
  router.route(c, affected, (reason, table, detail) => skips.push([reason, table, detail]));
  return { affected, skips };
}

/** entity -> sorted view names, for order-independent comparison. */
function viewsByEntity(affected: AffectedEntities): Record<string, string[]> {
  return Object.fromEntries(affected.entries().map(({ entity, views }) => [entity, views.map((v) => v.view).sort()]));
}

describe('ChangeRouter (bnplCatalog)', () => {
  const router = new ChangeRouter(bnplCatalog);
  const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name).sort();

  it('lists exactly the source tables some stored view depends on', () => {
    const used = new Set(bnplCatalog.views.flatMap((v) => [v.entity.source.name, ...v.plan.sources.map((s) => s.source.name)]));
    expect([...router.tables].sort()).toEqual([...used].sort());
    expect([...router.tables].sort()).toEqual(['customers', 'installments', 'merchants', 'orders', 'payments']);
    expect(new Set(router.tables).size).toBe(router.tables.length);
  });

  it('routes an installment insert to its customer and exactly the customer views that read installments', () => {
    const { affected, skips } = route(router, change('installments', 'insert', { newRow: installment('42') }));
    expect(skips).toEqual([]);
    expect(viewsByEntity(affected)).toEqual({ customer: viewsReading('installments', 'customer') });
    expect(affected.idsOf('customer')).toEqual(['42']);
    // Known case, independent of the derivation above.
    const views = viewsByEntity(affected)['customer'];
    expect(views).toEqual(expect.arrayContaining(['customer_exposure', 'customer_repayment']));
    expect(views).not.toContain('customer_spending');
    expect(views).not.toContain('customer_profile');
    expect(affected.idsOf('merchant')).toEqual([]);
  });

  it('routes a payment insert to the customer views that read payments only', () => {
    const payment = { id: '1', installment_id: '900', customer_id: '8', amount_minor: '2500', currency: 'EUR', status: 'failed', failure_reason: 'insufficient_funds', attempted_at: new Date() };
    const { affected, skips } = route(router, change('payments', 'insert', { newRow: payment }));
    expect(skips).toEqual([]);
    expect(viewsByEntity(affected)).toEqual({ customer: viewsReading('payments', 'customer') });
    expect(viewsByEntity(affected)['customer']).toEqual(['customer_repayment']);
  });

  it('routes an order change to its customer (customer_id) and to its merchant (merchant_id)', () => {
    const { affected, skips } = route(router, change('orders', 'update', { newRow: { ...order('7', '3'), status: 'defaulted' }, oldRow: order('7', '3') }));
    expect(skips).toEqual([]);
    expect(viewsByEntity(affected)).toEqual({ customer: viewsReading('orders', 'customer'), merchant: viewsReading('orders', 'merchant') });
    expect(viewsByEntity(affected)).toEqual({ customer: ['customer_exposure', 'customer_spending'], merchant: ['merchant_risk'] });
    expect(affected.idsOf('customer')).toEqual(['7']);
    expect(affected.idsOf('merchant')).toEqual(['3']);
  });

  it('routes an order moved from customer 1 to customer 2 to both customers', () => {
    const { affected } = route(router, change('orders', 'update', { newRow: order('2', '3'), oldRow: order('1', '3') }));
    expect(affected.idsOf('customer').sort()).toEqual(['1', '2']);
    for (const { views } of affected.entries().filter((e) => e.entity === 'customer')) {
      for (const { ids } of views) expect([...ids].sort()).toEqual(['1', '2']);
    }
    // The merchant's views read no column the move changed: the merchant is left alone.
    expect(affected.idsOf('merchant')).toEqual([]);
  });

  it('routes a customers insert or delete to every customer view (the own table carries attributes and currency)', () => {
    const customer = { id: '42', country: 'DE', currency: 'EUR', kyc_level: 2, credit_limit_minor: '100000', status: 'active', created_at: new Date(), updated_at: new Date() };
    for (const c of [change('customers', 'insert', { newRow: customer }), change('customers', 'delete', { oldRow: customer })]) {
      const { affected, skips } = route(router, c);
      expect(skips).toEqual([]);
      expect(viewsByEntity(affected)).toEqual({ customer: customerViews });
      expect(affected.idsOf('customer')).toEqual(['42']);
    }
    expect(customerViews).toEqual(['customer_exposure', 'customer_profile', 'customer_repayment', 'customer_spending']);
  });

  it('routes an update with a whole old row only to the views that read a column it changed', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const customer = { id: '42', country: 'DE', currency: 'EUR', kyc_level: 2, credit_limit_minor: '100000', status: 'active', created_at: at, updated_at: at };
    const updated = (over: Record<string, unknown>) => viewsByEntity(route(router, change('customers', 'update', { newRow: { ...customer, ...over }, oldRow: customer })).affected);
    expect(updated({ kyc_level: 3 })).toEqual({ customer: ['customer_profile'] });
    expect(updated({ credit_limit_minor: '200000' })).toEqual({ customer: ['customer_exposure'] });
    // Money values carry the entity's currency: every view with a MONEY feature.
    const withMoney = bnplCatalog.views.filter((v) => v.entity.name === 'customer' && v.features.some((f) => f.valueType === 'MONEY')).map((v) => v.name).sort();
    expect(updated({ currency: 'GBP' })).toEqual({ customer: withMoney });
    // A touched updated_at (a Date equal by value counts as unchanged) recomputes nothing.
    expect(updated({ updated_at: new Date('2026-02-01T00:00:00Z'), created_at: new Date(at.getTime()) })).toEqual({});
    // An instalment paid: the views reading its status.
    const paid = route(router, change('installments', 'update', { newRow: { ...installment('5'), status: 'paid' }, oldRow: installment('5') }));
    expect(viewsByEntity(paid.affected)).toEqual({ customer: ['customer_exposure', 'customer_repayment'] });
  });

  it('routes a merchants insert to the merchant views only', () => {
    const merchant = { id: '3', name: 'Shop', category: 'electronics', country: 'DE', created_at: new Date() };
    const { affected } = route(router, change('merchants', 'insert', { newRow: merchant }));
    expect(viewsByEntity(affected)).toEqual({ merchant: ['merchant_risk'] });
  });

  it('routes a delete through the old row', () => {
    const { affected, skips } = route(router, change('installments', 'delete', { oldRow: installment('11') }));
    expect(skips).toEqual([]);
    expect(affected.idsOf('customer')).toEqual(['11']);
  });

  it('reports an unknown table and adds nothing', () => {
    const { affected, skips } = route(router, change('audit_log', 'insert', { newRow: { id: '1', customer_id: '5' }, columns: ['id', 'customer_id'] }));
    expect(skips).toEqual([['unknown_table', 'audit_log', undefined]]);
    expect(affected.isEmpty).toBe(true);
  });

  it('reports an unknown column once per change and still routes the rest of the row', () => {
    const columns = [...Object.keys(bnplCatalog.getSource('orders').columns), 'promo_code'];
    // orders has two routes (customer and merchant): the column is still reported once.
    const { affected, skips } = route(router, change('orders', 'insert', { newRow: { ...order('7', '3'), promo_code: 'X' }, columns }));
    expect(skips).toEqual([['unknown_column', 'orders', 'promo_code']]);
    expect(affected.idsOf('customer')).toEqual(['7']);
    expect(affected.idsOf('merchant')).toEqual(['3']);
  });

  it('does not report the private columns of customers as unknown', () => {
    const columns = [...Object.keys(bnplCatalog.getSource('customers').columns), 'email', 'full_name', 'date_of_birth'];
    const row = { id: '42', country: 'DE', currency: 'EUR', kyc_level: 2, credit_limit_minor: '1', status: 'active', created_at: new Date(), updated_at: new Date(), email: 'a@b.c', full_name: 'A B', date_of_birth: '1990-01-01' };
    const { affected, skips } = route(router, change('customers', 'insert', { newRow: row, columns }));
    expect(skips).toEqual([]);
    expect(affected.idsOf('customer')).toEqual(['42']);
  });

  it('reports missing_key for a delete whose old row has only the primary key', () => {
    const { affected, skips } = route(router, change('installments', 'delete', { oldRow: { id: '900' } }));
    expect(skips).toEqual([['missing_key', 'installments', 'customer_id']]);
    expect(affected.isEmpty).toBe(true);
  });

  it('reports missing_key per route for an orders delete without its key columns', () => {
    const { affected, skips } = route(router, change('orders', 'delete', { oldRow: { id: '500' } }));
    expect(skips.map((s) => [s[0], s[2]]).sort()).toEqual([
      ['missing_key', 'customer_id'],
      ['missing_key', 'merchant_id'],
    ]);
    expect(affected.isEmpty).toBe(true);
  });

  it('still routes through the new row when the old row has only the primary key', () => {
    const { affected, skips } = route(router, change('installments', 'update', { newRow: installment('5'), oldRow: { id: '900' } }));
    expect(skips).toEqual([]);
    expect(affected.idsOf('customer')).toEqual(['5']);
  });

  it.each([['0'], ['abc'], ['007'], ['-1'], ['9223372036854775808']])('reports invalid_key for the key %p', (key) => {
    const { affected, skips } = route(router, change('installments', 'insert', { newRow: installment(key) }));
    expect(skips).toEqual([['invalid_key', 'installments', `customer_id=${key}`]]);
    expect(affected.isEmpty).toBe(true);
  });

  it('accepts a key the driver decoded as a number', () => {
    const { affected, skips } = route(router, change('installments', 'insert', { newRow: installment(42) }));
    expect(skips).toEqual([]);
    expect(affected.idsOf('customer')).toEqual(['42']);
  });

  it('routes a NULL key to nothing and reports nothing', () => {
    const { affected, skips } = route(router, change('installments', 'insert', { newRow: installment(null) }));
    expect(skips).toEqual([]);
    expect(affected.isEmpty).toBe(true);
  });
});

describe('AffectedEntities', () => {
  it('is empty until something is added', () => {
    const affected = new AffectedEntities();
    expect(affected.isEmpty).toBe(true);
    expect(affected.entries()).toEqual([]);
    expect(affected.idsOf('customer')).toEqual([]);
    affected.add('customer', ['customer_profile'], '1');
    expect(affected.isEmpty).toBe(false);
  });

  it('de-duplicates ids per view, keeping insertion order', () => {
    const affected = new AffectedEntities();
    affected.add('customer', ['customer_exposure'], '2');
    affected.add('customer', ['customer_exposure'], '1');
    affected.add('customer', ['customer_exposure'], '2');
    expect(affected.entries()).toEqual([{ entity: 'customer', views: [{ view: 'customer_exposure', ids: ['2', '1'] }] }]);
  });

  it('unions ids across views in idsOf, per entity', () => {
    const affected = new AffectedEntities();
    affected.add('customer', ['customer_exposure', 'customer_repayment'], '1');
    affected.add('customer', ['customer_spending'], '2');
    affected.add('customer', ['customer_repayment'], '3');
    affected.add('merchant', ['merchant_risk'], '1');
    expect(affected.idsOf('customer').sort()).toEqual(['1', '2', '3']);
    expect(affected.idsOf('merchant')).toEqual(['1']);
    expect(affected.entries()).toEqual([
      {
        entity: 'customer',
        views: [
          { view: 'customer_exposure', ids: ['1'] },
          { view: 'customer_repayment', ids: ['1', '3'] },
          { view: 'customer_spending', ids: ['2'] },
        ],
      },
      { entity: 'merchant', views: [{ view: 'merchant_risk', ids: ['1'] }] },
    ]);
  });
});
