import { RecordChain } from '../chain/record-chain';
import { hashBody } from '../record/canonical-record';
import type { SealedRecord } from '../record/decision-record';
import type { DecisionStore } from '../store/decision-store.port';
import { InMemoryDecisionStore } from '../store/in-memory-decision-store';
import { batchOf, sampleChain, sampleDraft } from '../testing/sample-records';
import { utcDayRange, verifyDecisions } from './verify-decisions';

const A = 'rest-gateway:20261201T000000Z:aaaaaaaaaaaa';
const B = 'grpc-serving:20261201T000000Z:bbbbbbbbbbbb';
const DAY = utcDayRange('2026-12-01') as { from: Date; to: Date };

async function storeWith(...batches: Array<Parameters<InMemoryDecisionStore['append']>[0]>) {
  const store = new InMemoryDecisionStore();
  for (const b of batches) await store.append(b);
  return store;
}

describe('verifyDecisions', () => {
  it('finds a complete, untouched day complete and untouched', async () => {
    const a = sampleChain(A, 5);
    const b = sampleChain(B, 3);
    const store = await storeWith(batchOf(a.slice(0, 2)), batchOf(a.slice(2), { closed: true }), batchOf(b, { closed: true }));
    const report = await verifyDecisions(store, DAY);
    expect(report).toMatchObject({ records: 8, missing: 0, dropped: 0, unpublished: 0, edited: 0, brokenLinks: 0, complete: true, untouched: true, gaps: [], problems: [], notes: [] });
    expect(report.instances.map((i) => [i.instanceId, i.firstSequence, i.lastSequence, i.records, i.closed])).toEqual([[B, 1, 3, 3, true], [A, 1, 5, 5, true]]);
  });

  it('reports a record deleted from the store as missing', async () => {
    const a = sampleChain(A, 5);
    const store = await storeWith(batchOf(a.filter((r) => r.sequence !== 3), { closed: true }));
    const report = await verifyDecisions(store, DAY);
    expect(report.gaps).toEqual([{ instanceId: A, from: 3, to: 3, kind: 'missing' }]);
    expect(report).toMatchObject({ missing: 1, complete: false, untouched: true });
  });

  it('reports numbers the instance dropped as dropped: the next record declares the skip', async () => {
    const chain = new RecordChain(A);
    const records: SealedRecord[] = [];
    records.push(chain.seal(sampleDraft(), chain.take()));
    chain.take();
    chain.take();
    records.push(chain.seal(sampleDraft(), chain.take()));
    const report = await verifyDecisions(await storeWith(batchOf(records, { closed: true })), DAY);
    expect(report.gaps).toEqual([{ instanceId: A, from: 2, to: 3, kind: 'dropped' }]);
    expect(report).toMatchObject({ dropped: 2, missing: 0, untouched: true, complete: false });
  });

  it('reports what a killed instance numbered but never published, and notes it never closed', async () => {
    const a = sampleChain(A, 4);
    const store = await storeWith(batchOf(a.slice(0, 2), { assignedThrough: 3 }), batchOf(a.slice(2, 3), { assignedThrough: 6 }));
    const report = await verifyDecisions(store, DAY);
    expect(report.gaps).toEqual([{ instanceId: A, from: 4, to: 6, kind: 'unpublished' }]);
    expect(report.unpublished).toBe(3);
    expect(report.notes).toEqual([expect.stringMatching(new RegExp(`^${A} did not close: .*at most one flush interval`))]);
  });

  it('tells published records deleted at the end of a chain from unpublished ones', async () => {
    const a = sampleChain(A, 4);
    const store = await storeWith(batchOf(a, { assignedThrough: 6 }));
    expect((await store.instanceMarks([A])).get(A)?.publishedThrough).toBe(4);
    // The store as it would be after records 3 and 4 were deleted from its table.
    const afterDeletion: DecisionStore = {
      kind: 'memory',
      append: (b) => store.append(b),
      find: (id) => store.find(id),
      recordAt: (i, s) => store.recordAt(i, s),
      scan: async function* () {
        yield a.slice(0, 2);
      },
      lastSequences: async () => new Map([[A, 2]]),
      instanceMarks: (ids) => store.instanceMarks(ids),
      getOutcome: (id) => store.getOutcome(id),
      getOutcomes: (ids) => store.getOutcomes(ids),
      putOutcome: (id, o) => store.putOutcome(id, o),
      deleteServedBefore: (c) => store.deleteServedBefore(c),
      ping: () => store.ping(),
      close: () => store.close(),
    };
    const report = await verifyDecisions(afterDeletion, DAY);
    expect(report.gaps).toEqual([
      { instanceId: A, from: 3, to: 4, kind: 'missing' },
      { instanceId: A, from: 5, to: 6, kind: 'unpublished' },
    ]);
  });

  it('names a record whose body was edited, and one whose column was', async () => {
    const a = sampleChain(A, 4);
    const tampered = a.map((r) => (r.sequence === 2 ? { ...r, body: r.body.replace('[2,"P"', '[3,"P"') } : r.sequence === 3 ? { ...r, customerId: '999' } : r));
    const report = await verifyDecisions(await storeWith(batchOf(tampered, { closed: true })), DAY);
    expect(report.problems).toEqual([
      { decisionId: a[1].decisionId, instanceId: A, sequence: 2, problem: 'edited', detail: 'its body does not match its hash' },
      { decisionId: a[2].decisionId, instanceId: A, sequence: 3, problem: 'edited', detail: 'its customer_id column differs from the signed body' },
    ]);
    expect(report).toMatchObject({ edited: 2, brokenLinks: 0, untouched: false, complete: true });
  });

  it('names a record re-hashed after an edit: its successor no longer links to it', async () => {
    const a = sampleChain(A, 3);
    const body = a[1].body.replace('[2,"P"', '[3,"P"');
    const rehashed = a.map((r) => (r.sequence === 2 ? { ...r, body, hash: hashBody(body) } : r));
    const report = await verifyDecisions(await storeWith(batchOf(rehashed, { closed: true })), DAY);
    expect(report.problems).toEqual([{ decisionId: a[2].decisionId, instanceId: A, sequence: 3, problem: 'broken-link', detail: expect.stringContaining('not the hash of record 2') }]);
  });

  it('links the first record of a day to its predecessor from the day before', async () => {
    const a = sampleChain(A, 4, new Date('2026-11-30T23:59:58.000Z'));
    const rehashedBody = a[1].body.replace('"edge":"rest"', '"edge":"grpc"');
    const store = await storeWith(batchOf(a.map((r) => (r.sequence === 2 ? { ...r, body: rehashedBody, hash: hashBody(rehashedBody) } : r)), { closed: true }));
    const report = await verifyDecisions(store, DAY);
    expect(report.records).toBe(2);
    expect(report.problems).toEqual([{ decisionId: a[2].decisionId, instanceId: A, sequence: 3, problem: 'broken-link', detail: expect.any(String) }]);
    const previousDay = await verifyDecisions(store, utcDayRange('2026-11-30') as { from: Date; to: Date });
    expect(previousDay).toMatchObject({ records: 2, complete: true, untouched: true });
  });

  it('does not report predecessors deleted by retention as gaps on the first retained day', async () => {
    const a = sampleChain(A, 4, new Date('2026-11-30T23:59:58.000Z'));
    const store = await storeWith(batchOf(a, { closed: true }));
    await store.deleteServedBefore(DAY.from);
    expect(await verifyDecisions(store, { ...DAY, retainedSince: DAY.from })).toMatchObject({ complete: true, notes: [expect.stringContaining('before the retained history')] });
    expect(await verifyDecisions(store, DAY)).toMatchObject({ complete: false, gaps: [{ instanceId: A, from: 2, to: 2, kind: 'missing' }] });
  });

  it('lists at most maxListed gaps and problems, and counts all', async () => {
    const a = sampleChain(A, 10);
    const store = await storeWith(batchOf(a.filter((r) => r.sequence % 2 === 1), { closed: true }));
    const report = await verifyDecisions(store, { ...DAY, maxListed: 2 });
    expect(report.gaps).toHaveLength(2);
    expect(report.missing).toBe(4);
  });

  it('reads days as UTC calendar days', () => {
    expect(utcDayRange('2026-02-28')).toEqual({ from: new Date('2026-02-28T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') });
    for (const bad of ['2026-02-30', '2026-2-1', 'yesterday', '2026-02-28T00:00:00Z']) expect(utcDayRange(bad)).toBeNull();
  });
});
