import type { DecisionBatch } from '../buffer/decision-batch';
import { DecisionStoreUnavailableError } from '../errors/decision-store-unavailable.error';
import type { SealedRecord } from '../record/decision-record';
import { DEFAULT_SCAN_PAGE, type DecisionOutcome, type DecisionStore, type InstanceMark } from './decision-store.port';

/** The reference adapter: everything in maps (tests, and a stack whose services share one process). */
export class InMemoryDecisionStore implements DecisionStore {
  readonly kind = 'memory';
  /** instance id -> sequence -> record. */
  readonly #records = new Map<string, Map<number, SealedRecord>>();
  readonly #byDecision = new Map<string, SealedRecord[]>();
  readonly #marks = new Map<string, InstanceMark>();
  readonly #outcomes = new Map<string, DecisionOutcome>();
  #closed = false;

  async append(batch: DecisionBatch): Promise<{ written: number; duplicates: number }> {
    this.#open();
    let instance = this.#records.get(batch.instanceId);
    if (!instance) this.#records.set(batch.instanceId, (instance = new Map()));
    let written = 0;
    for (const record of batch.records) {
      if (instance.has(record.sequence)) continue;
      instance.set(record.sequence, record);
      const same = this.#byDecision.get(record.decisionId) ?? [];
      same.push(record);
      same.sort((a, b) => a.servedAt.getTime() - b.servedAt.getTime());
      this.#byDecision.set(record.decisionId, same);
      written++;
    }
    const mark = this.#marks.get(batch.instanceId);
    this.#marks.set(batch.instanceId, {
      instanceId: batch.instanceId,
      assignedThrough: Math.max(mark?.assignedThrough ?? 0, batch.assignedThrough),
      publishedThrough: Math.max(mark?.publishedThrough ?? 0, ...batch.records.map((r) => r.sequence)),
      lastBatchAt: mark && mark.lastBatchAt > batch.sentAt ? mark.lastBatchAt : batch.sentAt,
      closedAt: mark?.closedAt ?? (batch.closed ? batch.sentAt : null),
    });
    return { written, duplicates: batch.records.length - written };
  }

  async find(decisionId: string): Promise<SealedRecord[]> {
    this.#open();
    return [...(this.#byDecision.get(decisionId) ?? [])];
  }

  async recordAt(instanceId: string, sequence: number): Promise<SealedRecord | null> {
    this.#open();
    return this.#records.get(instanceId)?.get(sequence) ?? null;
  }

  async *scan(from: Date, to: Date, pageSize = DEFAULT_SCAN_PAGE): AsyncIterable<readonly SealedRecord[]> {
    this.#open();
    const all = [...this.#records.values()]
      .flatMap((m) => [...m.values()])
      .filter((r) => r.servedAt >= from && r.servedAt < to)
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : a.sequence - b.sequence));
    for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
  }

  async lastSequences(instanceIds: readonly string[]): Promise<Map<string, number>> {
    this.#open();
    const out = new Map<string, number>();
    for (const id of instanceIds) {
      const records = this.#records.get(id);
      if (records && records.size > 0) out.set(id, Math.max(...records.keys()));
    }
    return out;
  }

  async instanceMarks(instanceIds: readonly string[]): Promise<Map<string, InstanceMark>> {
    this.#open();
    return new Map(instanceIds.flatMap((id) => (this.#marks.has(id) ? [[id, this.#marks.get(id) as InstanceMark] as const] : [])));
  }

  async getOutcome(decisionId: string): Promise<DecisionOutcome | null> {
    this.#open();
    return this.#outcomes.get(decisionId) ?? null;
  }

  async getOutcomes(decisionIds: readonly string[]): Promise<Map<string, DecisionOutcome>> {
    this.#open();
    return new Map(decisionIds.flatMap((id) => (this.#outcomes.has(id) ? [[id, this.#outcomes.get(id) as DecisionOutcome] as const] : [])));
  }

  async putOutcome(decisionId: string, outcome: DecisionOutcome): Promise<boolean> {
    this.#open();
    if ((this.#outcomes.get(decisionId)?.revision ?? 0) !== outcome.revision - 1) return false;
    this.#outcomes.set(decisionId, outcome);
    return true;
  }

  async deleteServedBefore(cutoff: Date): Promise<{ records: number; outcomes: number }> {
    this.#open();
    let records = 0;
    for (const [instanceId, instance] of this.#records) {
      for (const [sequence, record] of instance) {
        if (record.servedAt >= cutoff) continue;
        instance.delete(sequence);
        const same = (this.#byDecision.get(record.decisionId) ?? []).filter((r) => r !== record);
        if (same.length > 0) this.#byDecision.set(record.decisionId, same);
        else this.#byDecision.delete(record.decisionId);
        records++;
      }
      if (instance.size === 0) this.#records.delete(instanceId);
    }
    let outcomes = 0;
    for (const [id, outcome] of this.#outcomes) {
      if (outcome.servedAt < cutoff) {
        this.#outcomes.delete(id);
        outcomes++;
      }
    }
    for (const [id, mark] of this.#marks) if (mark.lastBatchAt < cutoff) this.#marks.delete(id);
    return { records, outcomes };
  }

  async ping(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new DecisionStoreUnavailableError('the in-memory store is closed');
  }
}
