import type { DecisionBatch } from '../buffer/decision-batch';
import { hashBody } from '../record/canonical-record';
import type { DecisionStore } from '../store/decision-store.port';

export interface IngestStats {
  readonly batches: number;
  readonly written: number;
  readonly duplicates: number;
  /** Records whose body did not match their hash on arrival (stored all the same: verify names them). */
  readonly mismatched: number;
}

/**
 * The decision sink: stores each batch a serving instance published, idempotently (a redelivered batch
 * writes nothing twice), so that a sink killed mid-batch and the message redelivered loses and doubles
 * nothing. A record whose hash does not match is stored as it came and counted: the store keeps what was
 * sent, and `verify` reports it; refusing it would turn a fault into a gap.
 */
export class IngestDecisionBatch {
  readonly #stats = { batches: 0, written: 0, duplicates: 0, mismatched: 0 };

  constructor(private readonly store: DecisionStore) {}

  async execute(batch: DecisionBatch): Promise<{ readonly written: number; readonly duplicates: number }> {
    for (const r of batch.records) if (hashBody(r.body) !== r.hash) this.#stats.mismatched++;
    const result = await this.store.append(batch);
    this.#stats.batches++;
    this.#stats.written += result.written;
    this.#stats.duplicates += result.duplicates;
    return result;
  }

  stats(): IngestStats {
    return { ...this.#stats };
  }
}
