import { InvalidOutcomeError } from '../errors/invalid-outcome.error';
import { OutcomeConflictError } from '../errors/outcome-conflict.error';
import { checkPostedOutcome, mergeOutcome } from './outcome';

const context = { postedBy: 'key:0123456789ab', now: new Date('2026-12-01T10:00:01Z'), servedAt: new Date('2026-12-01T10:00:00Z') };

describe('outcomes', () => {
  it('checks a posted outcome: codes sorted and once each, repayment optional', () => {
    expect(checkPostedOutcome({ decision: 'declined', reasonCodes: ['LATE_PAYMENTS', 'HIGH_UTILIZATION', 'LATE_PAYMENTS'] })).toEqual({ decision: 'declined', reasonCodes: ['HIGH_UTILIZATION', 'LATE_PAYMENTS'], repayment: null });
    expect(checkPostedOutcome({ decision: 'approved', repayment: 'repaid' })).toEqual({ decision: 'approved', reasonCodes: [], repayment: 'repaid' });
  });

  it('names what is wrong with a bad one', () => {
    const cases: Array<[Parameters<typeof checkPostedOutcome>[0], RegExp]> = [
      [{}, /"decision" must be one of approved, declined, got undefined/],
      [{ decision: 'maybe' }, /got "maybe"/],
      [{ decision: 'declined', reasonCodes: 'HIGH' }, /"reason_codes" must be a list/],
      [{ decision: 'declined', reasonCodes: ['high'] }, /"reason_codes"\[0\] must be an UPPER_SNAKE code/],
      [{ decision: 'declined', reasonCodes: ['X'.repeat(65)] }, /UPPER_SNAKE code of at most 64/],
      [{ decision: 'declined', reasonCodes: Array.from({ length: 21 }, (_, i) => `R${i}`) }, /holds 21 codes; at most 20/],
      [{ decision: 'approved', repayment: 'paid-ish' }, /"repayment" must be one of repaid, late, defaulted/],
      [{ decision: 'x'.repeat(10_000) }, /\(10002 characters\)/],
    ];
    for (const [input, message] of cases) {
      expect(() => checkPostedOutcome(input)).toThrow(InvalidOutcomeError);
      expect(() => checkPostedOutcome(input)).toThrow(message);
    }
  });

  it('creates, accepts the same again, adds a label once, and refuses contradictions', () => {
    const posted = checkPostedOutcome({ decision: 'declined', reasonCodes: ['HIGH_UTILIZATION'] });
    const created = mergeOutcome('d1', null, posted, context);
    expect(created).toEqual({ change: 'created', outcome: { ...posted, postedBy: context.postedBy, postedAt: context.now, labelledAt: null, servedAt: context.servedAt, revision: 1 } });
    expect(mergeOutcome('d1', created.outcome, posted, context)).toEqual({ change: 'unchanged', outcome: created.outcome });

    const later = { ...context, now: new Date('2027-03-01T00:00:00Z') };
    const labelled = mergeOutcome('d1', created.outcome, { ...posted, repayment: 'defaulted' }, later);
    expect(labelled).toEqual({ change: 'labelled', outcome: { ...created.outcome, repayment: 'defaulted', labelledAt: later.now, revision: 2 } });
    expect(mergeOutcome('d1', labelled.outcome, posted, later).change).toBe('unchanged');
    expect(mergeOutcome('d1', labelled.outcome, { ...posted, repayment: 'defaulted' }, later).change).toBe('unchanged');

    expect(() => mergeOutcome('d1', created.outcome, { ...posted, decision: 'approved' }, context)).toThrow(OutcomeConflictError);
    expect(() => mergeOutcome('d1', created.outcome, { ...posted, reasonCodes: ['OTHER'] }, context)).toThrow(/reason codes were \[HIGH_UTILIZATION\], this gives \[OTHER\]/);
    expect(() => mergeOutcome('d1', labelled.outcome, { ...posted, repayment: 'repaid' }, context)).toThrow(/labelled defaulted, this says repaid/);
  });
});
