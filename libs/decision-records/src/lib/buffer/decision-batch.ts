import type { SealedRecord } from '../record/decision-record';

/** What a serving instance publishes: sealed records, in sequence order, and where its numbering stands. */
export interface DecisionBatch {
  readonly instanceId: string;
  /** In increasing sequence order; empty in a closing batch that had nothing left to send. */
  readonly records: readonly SealedRecord[];
  /**
   * The highest sequence number the instance had given when the batch was sealed. Numbers above the
   * batch's records and up to this one were served and are in later batches; if none arrives (the
   * instance died), `verify` reports them as lost with the instance.
   */
  readonly assignedThrough: number;
  /** The instance's last batch: it shut down cleanly, and nothing more comes from it. */
  readonly closed: boolean;
  readonly sentAt: Date;
}

/** Where batches go: the messaging topic (the decision records' one way out of a serving instance). */
export interface DecisionPublisher {
  /** Resolves once the batch is accepted by the broker; rejects to have it retried later. */
  publish(batch: DecisionBatch): Promise<void>;
}
