import type { DecisionStore } from '../store/decision-store.port';
import { retentionCutoff } from './verify-day';

/** Default retention: Reg B keeps the information used to evaluate an application for 25 months. */
export const DEFAULT_RETENTION_MONTHS = 25;

/**
 * The retention job: deletes decision records and outcomes served more than `retentionMonths` calendar
 * months ago. Run periodically by the decision sink (every `DECISIONS_RETENTION_INTERVAL_MS`).
 */
export class EnforceRetention {
  constructor(
    private readonly store: DecisionStore,
    private readonly options: { readonly retentionMonths: number; readonly clock?: () => Date },
  ) {
    if (!Number.isSafeInteger(options.retentionMonths) || options.retentionMonths < 1) throw new RangeError(`retentionMonths must be a positive integer, got ${options.retentionMonths}`);
  }

  async execute(): Promise<{ readonly cutoff: Date; readonly records: number; readonly outcomes: number }> {
    const cutoff = retentionCutoff(this.options.clock?.() ?? new Date(), this.options.retentionMonths);
    return { cutoff, ...(await this.store.deleteServedBefore(cutoff)) };
  }
}
