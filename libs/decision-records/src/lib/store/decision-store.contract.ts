import { RecordChain } from '../chain/record-chain';
import { newDecisionId } from '../record/decision-id';
import type { SealedRecord } from '../record/decision-record';
import { batchOf, sampleChain, sampleDraft } from '../testing/sample-records';
import type { DecisionOutcome, DecisionStore } from './decision-store.port';

export interface DecisionStoreContractSubject {
  /** An empty store. */
  readonly store: DecisionStore;
  /** Closes it and removes what it created. */
  dispose(): Promise<void>;
}

let instances = 0;
/** A fresh instance id per use: a shared backend keeps what earlier tests wrote. */
const instance = () => `contract:20261201T100000Z:${(Date.now() * 1000 + ++instances).toString(16).slice(-12).padStart(12, '0')}`;

const outcome = (overrides: Partial<DecisionOutcome> = {}): DecisionOutcome => ({
  decision: 'declined',
  reasonCodes: ['HIGH_UTILIZATION', 'LATE_PAYMENTS'],
  repayment: null,
  postedBy: 'key:0123456789ab',
  postedAt: new Date('2026-12-01T10:00:01.000Z'),
  labelledAt: null,
  servedAt: new Date('2026-12-01T10:00:00.000Z'),
  revision: 1,
  ...overrides,
});

/**
 * The DecisionStore contract, run against every adapter: `describeDecisionStoreContract('duckdb', async () => ({ ... }))`.
 * Each test starts from the subject's store (one per suite) and uses instance and decision ids of its own.
 */
export function describeDecisionStoreContract(name: string, setup: () => Promise<DecisionStoreContractSubject>): void {
  describe(`DecisionStore contract: ${name}`, () => {
    let subject: DecisionStoreContractSubject;
    let store: DecisionStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(() => subject?.dispose());

    const same = (a: SealedRecord | null | undefined, b: SealedRecord) => expect(a).toEqual(b);

    it('stores records exactly as given, and finds them by decision id and by (instance, sequence)', async () => {
      const records = sampleChain(instance(), 3);
      expect(await store.append(batchOf(records))).toEqual({ written: 3, duplicates: 0 });
      for (const r of records) {
        const [found] = await store.find(r.decisionId);
        same(found, r);
        same(await store.recordAt(r.instanceId, r.sequence), r);
      }
      expect(await store.find(newDecisionId())).toEqual([]);
      expect(await store.recordAt(records[0].instanceId, 99)).toBeNull();
    });

    it('keeps bodies byte for byte: unicode, escapes and long bodies', async () => {
      const chain = new RecordChain(instance());
      const draft = sampleDraft({ featureService: 'é"\\\u2028—✓', rows: Array.from({ length: 200 }, (_, i) => ({ ...sampleDraft().rows[0], entityRow: { customer_id: String(i + 1), merchant_id: '7' } })) });
      const record = chain.seal(draft, chain.take());
      await store.append(batchOf([record]));
      same((await store.find(record.decisionId))[0], record);
    });

    it('is idempotent on (instance, sequence): a redelivered batch changes nothing', async () => {
      const records = sampleChain(instance(), 4);
      await store.append(batchOf(records.slice(0, 2)));
      expect(await store.append(batchOf(records))).toEqual({ written: 2, duplicates: 2 });
      expect(await store.append(batchOf(records))).toEqual({ written: 0, duplicates: 4 });
      const pages: SealedRecord[] = [];
      for await (const page of store.scan(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-02T00:00:00Z'))) pages.push(...page.filter((r) => r.instanceId === records[0].instanceId));
      expect(pages.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    });

    it('stores appends given at once each record once, the same batch delivered twice among them', async () => {
      const records = sampleChain(instance(), 6);
      const other = sampleChain(instance(), 2);
      const results = await Promise.all([store.append(batchOf(records.slice(0, 3))), store.append(batchOf(records.slice(0, 3))), store.append(batchOf(records.slice(3))), store.append(batchOf(other))]);
      expect(results.map((r) => r.written + r.duplicates)).toEqual([3, 3, 3, 2]);
      expect(results[0].written + results[1].written).toBe(3);
      expect(results.slice(2)).toEqual([{ written: 3, duplicates: 0 }, { written: 2, duplicates: 0 }]);
      for (const r of records) expect(await store.find(r.decisionId)).toHaveLength(1);
    });

    it('keeps every answer given under one decision id, earliest first', async () => {
      const chain = new RecordChain(instance());
      const first = chain.seal(sampleDraft({ decisionId: 'app-ref-7', at: new Date('2026-12-01T10:00:02Z') }), chain.take());
      const again = chain.seal(sampleDraft({ decisionId: 'app-ref-7', at: new Date('2026-12-01T10:00:03Z') }), chain.take());
      const other = new RecordChain(instance());
      const earlier = other.seal(sampleDraft({ decisionId: 'app-ref-7', at: new Date('2026-12-01T10:00:01Z') }), other.take());
      await store.append(batchOf([first, again]));
      await store.append(batchOf([earlier]));
      expect((await store.find('app-ref-7')).map((r) => r.servedAt.toISOString())).toEqual(['2026-12-01T10:00:01.000Z', '2026-12-01T10:00:02.000Z', '2026-12-01T10:00:03.000Z']);
    });

    it('scans a time range in pages, ordered by instance then sequence, end excluded', async () => {
      const [a, b] = [instance(), instance()].sort();
      const start = new Date('2031-05-01T23:59:58.000Z');
      const ra = sampleChain(a, 5, start);
      const rb = sampleChain(b, 3, start);
      await store.append(batchOf(rb));
      await store.append(batchOf(ra));
      const pages: Array<readonly SealedRecord[]> = [];
      for await (const page of store.scan(new Date('2031-05-01T00:00:00Z'), new Date('2031-05-02T00:00:01Z'), 2)) pages.push(page);
      expect(pages.every((p) => p.length <= 2)).toBe(true);
      expect(pages.flat().map((r) => `${r.instanceId === a ? 'a' : 'b'}${r.sequence}`)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    });

    it('knows the last stored sequence and the mark of each instance', async () => {
      const id = instance();
      const records = sampleChain(id, 3);
      await store.append({ ...batchOf(records.slice(0, 2), { assignedThrough: 5 }), sentAt: new Date('2026-12-01T10:00:05Z') });
      await store.append({ ...batchOf(records.slice(2), { assignedThrough: 4 }), sentAt: new Date('2026-12-01T10:00:04Z') });
      expect(await store.lastSequences([id, instance()])).toEqual(new Map([[id, 3]]));
      expect((await store.instanceMarks([id])).get(id)).toEqual({ instanceId: id, assignedThrough: 5, publishedThrough: 3, lastBatchAt: new Date('2026-12-01T10:00:05Z'), closedAt: null });
      await store.append({ ...batchOf([], { assignedThrough: 6, closed: true }), instanceId: id, sentAt: new Date('2026-12-01T10:00:06Z') });
      expect((await store.instanceMarks([id])).get(id)).toEqual({ instanceId: id, assignedThrough: 6, publishedThrough: 3, lastBatchAt: new Date('2026-12-01T10:00:06Z'), closedAt: new Date('2026-12-01T10:00:06Z') });
    });

    it('stores an outcome once, then only over the revision it was read at', async () => {
      const id = newDecisionId();
      expect(await store.getOutcome(id)).toBeNull();
      expect(await store.putOutcome(id, outcome({ revision: 2 }))).toBe(false);
      expect(await store.putOutcome(id, outcome())).toBe(true);
      expect(await store.putOutcome(id, outcome({ decision: 'approved' }))).toBe(false);
      expect(await store.getOutcome(id)).toEqual(outcome());
      const labelled = outcome({ repayment: 'defaulted', labelledAt: new Date('2027-03-01T00:00:00Z'), revision: 2 });
      expect(await store.putOutcome(id, labelled)).toBe(true);
      expect(await store.getOutcome(id)).toEqual(labelled);
      const other = newDecisionId();
      await store.putOutcome(other, outcome({ decision: 'approved', reasonCodes: [] }));
      expect(await store.getOutcomes([id, other, newDecisionId()])).toEqual(new Map([[id, labelled], [other, outcome({ decision: 'approved', reasonCodes: [] })]]));
    });

    it('deletes what was served before a cutoff: records, outcomes and old instance marks', async () => {
      const old = instance();
      const kept = instance();
      const oldRecords = sampleChain(old, 2, new Date('2001-01-01T00:00:00Z'));
      const keptRecords = sampleChain(kept, 1, new Date('2001-03-01T00:00:00Z'));
      await store.append({ ...batchOf(oldRecords), sentAt: new Date('2001-01-01T00:00:05Z') });
      await store.append({ ...batchOf(keptRecords), sentAt: new Date('2001-03-01T00:00:05Z') });
      await store.putOutcome(oldRecords[0].decisionId, outcome({ servedAt: oldRecords[0].servedAt }));
      await store.putOutcome(keptRecords[0].decisionId, outcome({ servedAt: keptRecords[0].servedAt }));
      const deleted = await store.deleteServedBefore(new Date('2001-02-01T00:00:00Z'));
      expect(deleted.records).toBeGreaterThanOrEqual(2);
      expect(deleted.outcomes).toBeGreaterThanOrEqual(1);
      expect(await store.find(oldRecords[0].decisionId)).toEqual([]);
      expect(await store.getOutcome(oldRecords[0].decisionId)).toBeNull();
      expect(await store.instanceMarks([old])).toEqual(new Map());
      same((await store.find(keptRecords[0].decisionId))[0], keptRecords[0]);
      expect(await store.getOutcome(keptRecords[0].decisionId)).not.toBeNull();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
