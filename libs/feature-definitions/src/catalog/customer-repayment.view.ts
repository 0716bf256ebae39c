import { compute, defineFeatureView, feature } from '../model/feature-view';
import { where } from '../model/predicate';
import { HOUR, Owner } from './owners';
import { ValueType } from '../model/value-type';

// Windows over installments are over due_date: "due in the last N days", the as-of day included.
// Cancelled instalments (of cancelled or refunded orders) were never owed and are left out everywhere.
const notCancelled = where.ne('status', 'cancelled');
/** Instalments whose due date has come and that were owed: paid, overdue or written off. */
const cameDue = where.in('status', ['paid', 'overdue', 'written_off']);

export const customerRepaymentView = defineFeatureView({
  name: 'customer_repayment',
  entity: 'customer',
  owner: Owner.CREDIT_RISK,
  description: 'Repayment behaviour over recent windows.',
  ttlSeconds: 6 * HOUR,
  features: [
    feature({
      name: 'late_installments_90d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Instalments due in the last 90 days that were or are late (days_past_due > 0).',
      compute: compute.count('installments', { where: where.and(where.gt('days_past_due', 0), notCancelled), window: 90 }),
    }),
    feature({
      name: 'missed_payments_30d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Instalments due in the last 30 days that are overdue or written off.',
      compute: compute.count('installments', { where: where.in('status', ['overdue', 'written_off']), window: 30 }),
    }),
    feature({
      name: 'on_time_rate_365d',
      valueType: ValueType.DOUBLE,
      // No instalment has come due: no evidence of lateness. The status (DEFAULT) tells the engine this is
      // a thin file rather than a proven payer.
      default: 1,
      description:
        'Of the instalments due in the last 365 days that came due (paid, overdue, written off), the share paid on time ' +
        '(paid with days_past_due = 0). Default 1.0 when none came due.',
      compute: compute.ratio(
        compute.count('installments', { where: where.and(where.eq('status', 'paid'), where.eq('days_past_due', 0)), window: 365 }),
        compute.count('installments', { where: cameDue, window: 365 }),
      ),
    }),
    feature({
      name: 'max_days_past_due_365d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Worst lateness, in days, of the instalments due in the last 365 days. 0 when none.',
      compute: compute.max('installments', 'days_past_due', { where: notCancelled, window: 365 }),
    }),
    feature({
      name: 'failed_payment_attempts_7d',
      valueType: ValueType.INT64,
      default: 0,
      description: 'Failed payment attempts in the last 7 days (by attempt time).',
      compute: compute.count('payments', { where: where.eq('status', 'failed'), window: 7 }),
    }),
  ],
});
