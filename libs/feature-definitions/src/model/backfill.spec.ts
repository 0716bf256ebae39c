import { CatalogValidationError } from '../errors/catalog-validation.error';
import { bnplCatalog } from '../catalog/bnpl-catalog';
import { customerEntity, merchantEntity } from '../catalog/entities';
import { bnplSources, customersSource, installmentsSource } from '../catalog/sources';
import { computeViewAtFromRows } from '../evaluation/compute-view-at';
import { defineCatalog } from './catalog';
import { compute, feature } from './feature-view';
import type { SourceDefinition } from './source';
import { ValueType } from './value-type';

const modes = (view: string) => Object.fromEntries(bnplCatalog.getView(view).features.map((f) => [f.name, bnplCatalog.getView(view).backfill[f.name].mode]));

describe('backfill classification', () => {
  it('says per feature of the BNPL catalog what a backfill can know', () => {
    expect(modes('customer_profile')).toEqual({ account_age_days: 'exact', kyc_level: 'none', country: 'none', account_status: 'none' });
    expect(modes('customer_repayment')).toEqual({
      late_installments_90d: 'rebuilt',
      missed_payments_30d: 'rebuilt',
      on_time_rate_365d: 'rebuilt',
      max_days_past_due_365d: 'rebuilt',
      failed_payment_attempts_7d: 'exact',
    });
    for (const view of ['customer_exposure', 'customer_spending', 'merchant_risk']) expect(Object.values(modes(view))).toEqual(Object.values(modes(view)).map(() => 'none'));
    expect(bnplCatalog.getView('customer_profile').backfill['kyc_level'].why).toBe('customers.kyc_level keeps only its current value');
    expect(bnplCatalog.getView('customer_exposure').backfill['outstanding_balance'].why).toMatch(/installments rows carry no creation time \(and the aggregate is not windowed\)/);
  });

  it('knows nothing of the past of an entity whose table has no creation time', () => {
    const sources = bnplSources.map((s): SourceDefinition => (s.name === 'customers' ? { ...customersSource, history: { immutable: ['id', 'currency', 'created_at'] } } : s));
    const catalog = defineCatalog({
      entities: [customerEntity, merchantEntity],
      sources,
      views: [{ name: 'v', entity: 'customer', owner: 'o', description: 'd', ttlSeconds: 60, features: [feature({ name: 'age', valueType: ValueType.INT64, default: 0, description: 'd', compute: compute.ageDays('created_at') })] }],
    });
    expect(catalog.getView('v').backfill['age']).toEqual({ mode: 'none', why: expect.stringMatching(/customers carries no creation time/) });
  });

  it('rejects a history that names unknown columns, wrong types or unknown rules', () => {
    const broken: SourceDefinition = {
      ...installmentsSource,
      history: { createdAt: 'due_date', immutable: ['nope'], rebuilt: { status: { rule: 'guess' as never, paidAt: 'paid_at', dueDate: 'status' } } },
    };
    let problems: readonly string[] = [];
    try {
      defineCatalog({ entities: [customerEntity, merchantEntity], sources: bnplSources.map((s) => (s.name === 'installments' ? broken : s)), views: [] });
    } catch (error) {
      problems = (error as CatalogValidationError).problems.map((p) => p.message);
    }
    expect(problems).toEqual([
      'history: creation column "due_date" must be TIMESTAMP, not DATE',
      'history: immutable column "nope" is not a column of installments',
      'history: unknown rule "guess" (string) for "status"',
      'history: due-date column "status" must be DATE, not STRING',
    ]);
  });
});

describe('computeViewAtFromRows', () => {
  const repayment = bnplCatalog.getView('customer_repayment');
  const customer = { id: '1', currency: 'EUR', created_at: '2025-03-01T10:00:00Z', kyc_level: 3, country: 'DE', status: 'active', credit_limit_minor: 100 };
  const instalment = (over: object) => ({ id: '1', order_id: '1', customer_id: '1', seq: 1, amount_minor: 100, currency: 'EUR', days_past_due: 4, updated_at: '2025-03-20T00:00:00Z', ...over });

  it('has no row before the entity was created', () => {
    expect(computeViewAtFromRows(repayment, customer, {}, new Date('2025-03-01T09:59:59.999Z'))).toBeNull();
    expect(computeViewAtFromRows(repayment, customer, {}, new Date('2025-03-01T10:00:00Z'))).not.toBeNull();
  });

  it('rebuilds an instalment paid later as open, late by the days since its due date', () => {
    const rows = { installments: [instalment({ due_date: '2025-03-05', status: 'paid', paid_at: '2025-03-12T08:00:00Z' })] };
    // On 03-10 it was 5 days past due and not paid; after the payment, its frozen lateness (4 days) counts.
    expect(computeViewAtFromRows(repayment, customer, rows, new Date('2025-03-10T12:00:00Z'))).toMatchObject({ missed_payments_30d: 1, max_days_past_due_365d: 5, late_installments_90d: 1 });
    expect(computeViewAtFromRows(repayment, customer, rows, new Date('2025-03-12T08:00:00Z'))).toMatchObject({ missed_payments_30d: 0, max_days_past_due_365d: 4, on_time_rate_365d: 0 });
    // Not yet due: nothing came due.
    expect(computeViewAtFromRows(repayment, customer, rows, new Date('2025-03-04T12:00:00Z'))).toMatchObject({ missed_payments_30d: 0, max_days_past_due_365d: null, on_time_rate_365d: null });
  });

  it('leaves out payments made after the instant and features without history', () => {
    const payments = [{ id: '1', installment_id: '1', customer_id: '1', amount_minor: 1, currency: 'EUR', status: 'failed', failure_reason: null, attempted_at: '2025-03-10T12:00:00.001Z' }];
    expect(computeViewAtFromRows(repayment, customer, { payments }, new Date('2025-03-10T12:00:00Z'))).toMatchObject({ failed_payment_attempts_7d: 0 });
    expect(computeViewAtFromRows(repayment, customer, { payments }, new Date('2025-03-10T12:00:00.001Z'))).toMatchObject({ failed_payment_attempts_7d: 1 });
    expect(computeViewAtFromRows(bnplCatalog.getView('customer_profile'), customer, {}, new Date('2025-03-10T00:00:00Z'))).toEqual({ account_age_days: 9, kyc_level: null, country: null, account_status: null });
  });
});
