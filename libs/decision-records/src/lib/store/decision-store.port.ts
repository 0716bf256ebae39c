import type { DecisionBatch } from '../buffer/decision-batch';
import type { SealedRecord } from '../record/decision-record';

/** Where an instance's numbering stood, from the batches it sent. */
export interface InstanceMark {
  readonly instanceId: string;
  /** The highest `assignedThrough` any of its batches reported. */
  readonly assignedThrough: number;
  /** The highest sequence of a record in any of its batches: numbers up to it were published. */
  readonly publishedThrough: number;
  /** When its latest batch was sent. */
  readonly lastBatchAt: Date;
  /** When it sent its closing batch (a clean shutdown), or null. */
  readonly closedAt: Date | null;
}

export type OutcomeDecision = 'approved' | 'declined';
export const OUTCOME_DECISIONS: readonly OutcomeDecision[] = ['approved', 'declined'];
/** How the plan was repaid, known months later: the training label. */
export type RepaymentLabel = 'repaid' | 'late' | 'defaulted';
export const REPAYMENT_LABELS: readonly RepaymentLabel[] = ['repaid', 'late', 'defaulted'];

/** What the risk engine decided with a served vector, and later how it turned out. */
export interface DecisionOutcome {
  readonly decision: OutcomeDecision;
  /** The engine's reason codes (UPPER_SNAKE), sorted, each once; empty when none were given. */
  readonly reasonCodes: readonly string[];
  readonly repayment: RepaymentLabel | null;
  /** The principal that posted it (null with access control off). */
  readonly postedBy: string | null;
  readonly postedAt: Date;
  readonly labelledAt: Date | null;
  /** When the decision was served (copied from its record: retention and partitioning go by it). */
  readonly servedAt: Date;
  /** 1 when first stored, +1 per change (the label): stores write a revision only over its predecessor. */
  readonly revision: number;
}

/**
 * Where decision records and their outcomes are kept: the offline store's `decision_records`,
 * `decision_instances` and `decision_outcomes` tables (DuckDB locally, BigQuery in production), or the
 * in-memory reference adapter. One contract suite (`describeDecisionStoreContract`) runs against each.
 *
 * Contract:
 * - `append(batch)` stores the batch's records and raises the instance's mark (assignedThrough, publishedThrough,
 *   last batch time, closed). Idempotent on (instance id, sequence): a record already stored is skipped and counted
 *   in `duplicates` (a redelivered batch changes nothing); all of a batch's new records are stored or none.
 *   The same decision id may occur in several records (a caller re-using its id): each answer is kept.
 * - `find(id)` returns every record with that decision id, earliest served first; `recordAt` one by
 *   (instance, sequence); `scan(from, to)` those served in [from, to), ordered by instance id then
 *   sequence, in pages of at most `pageSize`; `lastSequences` the highest stored number per instance.
 * - Records come back exactly as appended: the body byte for byte, the columns as given. (An edit made in
 *   the store's tables shows up as such, which is what `verify` looks for.)
 * - `putOutcome(id, outcome)` stores `outcome` only over revision `outcome.revision - 1` (none for 1) and
 *   returns false, storing nothing, when the stored revision is another: callers read, merge, and retry.
 * - `deleteServedBefore(cutoff)` removes records and outcomes of decisions served before `cutoff`, and the
 *   marks of instances whose last batch is before it (retention).
 * Errors: DecisionStoreUnavailableError when the backend fails.
 */
export interface DecisionStore {
  /** `memory`, `duckdb` or `bigquery`, for logs and health output. */
  readonly kind: string;
  append(batch: DecisionBatch): Promise<{ readonly written: number; readonly duplicates: number }>;
  find(decisionId: string): Promise<SealedRecord[]>;
  recordAt(instanceId: string, sequence: number): Promise<SealedRecord | null>;
  scan(from: Date, to: Date, pageSize?: number): AsyncIterable<readonly SealedRecord[]>;
  lastSequences(instanceIds: readonly string[]): Promise<Map<string, number>>;
  instanceMarks(instanceIds: readonly string[]): Promise<Map<string, InstanceMark>>;
  getOutcome(decisionId: string): Promise<DecisionOutcome | null>;
  /** Outcomes of the given decisions (those that have one). */
  getOutcomes(decisionIds: readonly string[]): Promise<Map<string, DecisionOutcome>>;
  putOutcome(decisionId: string, outcome: DecisionOutcome): Promise<boolean>;
  deleteServedBefore(cutoff: Date): Promise<{ readonly records: number; readonly outcomes: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Injection token for the DecisionStore port. */
export const DECISION_STORE = Symbol('DECISION_STORE');

/** Default page of `scan`. */
export const DEFAULT_SCAN_PAGE = 5_000;
