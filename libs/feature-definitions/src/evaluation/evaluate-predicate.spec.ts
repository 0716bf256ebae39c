import { installmentsSource, paymentsSource } from '../catalog/sources';
import { where } from '../model/predicate';
import { evaluatePredicate } from './evaluate-predicate';

describe('evaluatePredicate', () => {
  const row = { status: 'paid', days_past_due: '3', paid_at: null };

  it('compares by column type, so decimal strings from the driver compare as numbers', () => {
    expect(evaluatePredicate(where.eq('days_past_due', 3), row, installmentsSource)).toBe(true);
    expect(evaluatePredicate(where.gt('days_past_due', 2), row, installmentsSource)).toBe(true);
    expect(evaluatePredicate(where.gte('days_past_due', 4), row, installmentsSource)).toBe(false);
    expect(evaluatePredicate(where.lt('days_past_due', 4), row, installmentsSource)).toBe(true);
    expect(evaluatePredicate(where.lte('days_past_due', 2), row, installmentsSource)).toBe(false);
    expect(evaluatePredicate(where.in('status', ['paid', 'overdue']), row, installmentsSource)).toBe(true);
    expect(evaluatePredicate(where.ne('status', 'paid'), row, installmentsSource)).toBe(false);
  });

  it('follows SQL: a comparison with NULL is never true, not even ne', () => {
    const nullReason = { status: 'failed', failure_reason: null };
    expect(evaluatePredicate(where.eq('failure_reason', 'x'), nullReason, paymentsSource)).toBe(false);
    expect(evaluatePredicate(where.ne('failure_reason', 'x'), nullReason, paymentsSource)).toBe(false);
    expect(evaluatePredicate(where.in('failure_reason', ['x']), nullReason, paymentsSource)).toBe(false);
    expect(evaluatePredicate(where.isNull('failure_reason'), nullReason, paymentsSource)).toBe(true);
    expect(evaluatePredicate(where.notNull('failure_reason'), { failure_reason: 'x' }, paymentsSource)).toBe(true);
    // UNKNOWN OR TRUE is TRUE; UNKNOWN AND TRUE is not
    expect(evaluatePredicate(where.or(where.ne('failure_reason', 'x'), where.eq('status', 'failed')), nullReason, paymentsSource)).toBe(true);
    expect(evaluatePredicate(where.and(where.ne('failure_reason', 'x'), where.eq('status', 'failed')), nullReason, paymentsSource)).toBe(false);
  });
});
