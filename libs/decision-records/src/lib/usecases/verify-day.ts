import { InvalidDecisionQueryError } from '../errors/invalid-decision-query.error';
import type { DecisionStore } from '../store/decision-store.port';
import { utcDayRange, verifyDecisions, type VerifyReport } from '../verify/verify-decisions';

/**
 * `fs decisions verify --day D`: proves the records of a UTC day complete and untouched (see
 * verifyDecisions). Retention is taken into account: a chain whose predecessor was deleted by it is not a gap.
 */
export class VerifyDay {
  constructor(
    private readonly store: DecisionStore,
    private readonly options: { readonly retentionMonths: number; readonly clock?: () => Date },
  ) {}

  async execute(day: string): Promise<VerifyReport> {
    const range = utcDayRange(day);
    if (!range) throw new InvalidDecisionQueryError(`"day" must be a day as YYYY-MM-DD, got ${JSON.stringify(day).slice(0, 40)}`);
    return verifyDecisions(this.store, { ...range, retainedSince: retentionCutoff(this.options.clock?.() ?? new Date(), this.options.retentionMonths) });
  }
}

/** `months` calendar months before `now` (UTC; the 31st of a shorter month is its last day). */
export function retentionCutoff(now: Date, months: number): Date {
  const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return target;
}
