import { InvalidOutcomeError } from '../errors/invalid-outcome.error';
import { OutcomeConflictError } from '../errors/outcome-conflict.error';
import { OUTCOME_DECISIONS, REPAYMENT_LABELS, type DecisionOutcome, type OutcomeDecision, type RepaymentLabel } from '../store/decision-store.port';

/** Most reason codes one outcome may carry. */
export const MAX_REASON_CODES = 20;
const REASON_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** An outcome as the risk engine posts it, checked: reason codes sorted, each once. */
export interface PostedOutcome {
  readonly decision: OutcomeDecision;
  readonly reasonCodes: readonly string[];
  readonly repayment: RepaymentLabel | null;
}

/** Checks a posted outcome; throws InvalidOutcomeError naming the first problem. */
export function checkPostedOutcome(input: { decision?: unknown; reasonCodes?: unknown; repayment?: unknown }): PostedOutcome {
  if (!(OUTCOME_DECISIONS as readonly unknown[]).includes(input.decision)) throw new InvalidOutcomeError(`"decision" must be one of ${OUTCOME_DECISIONS.join(', ')}, got ${describe(input.decision)}`);
  const codes = input.reasonCodes ?? [];
  if (!Array.isArray(codes)) throw new InvalidOutcomeError(`"reason_codes" must be a list, got ${describe(codes)}`);
  if (codes.length > MAX_REASON_CODES) throw new InvalidOutcomeError(`"reason_codes" holds ${codes.length} codes; at most ${MAX_REASON_CODES}`);
  codes.forEach((code, i) => {
    if (typeof code !== 'string' || !REASON_CODE.test(code)) throw new InvalidOutcomeError(`"reason_codes"[${i}] must be an UPPER_SNAKE code of at most 64 characters, got ${describe(code)}`);
  });
  const repayment = input.repayment ?? null;
  if (repayment !== null && !(REPAYMENT_LABELS as readonly unknown[]).includes(repayment)) throw new InvalidOutcomeError(`"repayment" must be one of ${REPAYMENT_LABELS.join(', ')}, got ${describe(repayment)}`);
  return { decision: input.decision as OutcomeDecision, reasonCodes: [...new Set(codes as string[])].sort(), repayment: repayment as RepaymentLabel | null };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} characters)` : text;
}

/** What posting an outcome changed. */
export type OutcomeChange = 'created' | 'unchanged' | 'labelled';

/**
 * The outcome to store after `posted`, given the stored one: outcomes are facts. The first post creates
 * it; the same decision and reason codes again change nothing (a retry); a repayment label may be added
 * once, later. Anything else contradicts what is stored: OutcomeConflictError (409).
 */
export function mergeOutcome(
  decisionId: string,
  existing: DecisionOutcome | null,
  posted: PostedOutcome,
  context: { readonly postedBy: string | null; readonly now: Date; readonly servedAt: Date },
): { readonly outcome: DecisionOutcome; readonly change: OutcomeChange } {
  if (!existing) {
    return {
      change: 'created',
      outcome: { ...posted, postedBy: context.postedBy, postedAt: context.now, labelledAt: posted.repayment ? context.now : null, servedAt: context.servedAt, revision: 1 },
    };
  }
  if (existing.decision !== posted.decision) throw new OutcomeConflictError(decisionId, `it was ${existing.decision}, this says ${posted.decision}`);
  if (existing.reasonCodes.join(',') !== posted.reasonCodes.join(',')) {
    throw new OutcomeConflictError(decisionId, `its reason codes were [${existing.reasonCodes.join(', ')}], this gives [${posted.reasonCodes.join(', ')}]`);
  }
  if (posted.repayment === null || posted.repayment === existing.repayment) return { change: 'unchanged', outcome: existing };
  if (existing.repayment !== null) throw new OutcomeConflictError(decisionId, `its repayment was labelled ${existing.repayment}, this says ${posted.repayment}`);
  return { change: 'labelled', outcome: { ...existing, repayment: posted.repayment, labelledAt: context.now, revision: existing.revision + 1 } };
}
