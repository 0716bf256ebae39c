import { hashBody, decodeRecordBody } from '../record/canonical-record';
import { GENESIS_HASH } from '../record/decision-record';
import { DecisionBacklogFullError } from '../errors/decision-backlog-full.error';
import { sampleDraft } from '../testing/sample-records';
import type { DecisionBatch, DecisionPublisher } from './decision-batch';
import { DecisionBuffer, type DecisionBufferOptions } from './decision-buffer';

const INSTANCE = 'rest-gateway:20261201T100000Z:0123456789ab';

/** A publisher that records batches, can be made to fail, and can hold publishes until released. */
class FakePublisher implements DecisionPublisher {
  readonly batches: DecisionBatch[] = [];
  attempts = 0;
  down = false;
  hold: Promise<void> | null = null;

  async publish(batch: DecisionBatch): Promise<void> {
    this.attempts++;
    if (this.hold) await this.hold;
    if (this.down) throw new Error('UNAVAILABLE: no connection established');
    this.batches.push(batch);
  }

  records() {
    return this.batches.flatMap((b) => b.records);
  }
}

const buffers: DecisionBuffer[] = [];
function setup(options: Partial<DecisionBufferOptions> = {}) {
  const publisher = new FakePublisher();
  const buffer = new DecisionBuffer(INSTANCE, publisher, { policy: 'reject', maxBatchAgeMs: 5, retry: { initialMs: 5, maxMs: 20 }, ...options });
  buffers.push(buffer);
  return { publisher, buffer };
}
afterEach(async () => {
  await Promise.all(buffers.splice(0).map((b) => b.close(100)));
});

const until = async (condition: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('DecisionBuffer', () => {
  it('numbers, seals and chains records off the caller\'s path, and publishes them once their batch is due', async () => {
    const { publisher, buffer } = setup();
    const drafts = Array.from({ length: 3 }, (_, i) => sampleDraft({ customerId: String(i + 1) }));
    for (const d of drafts) buffer.record(d);
    // Nothing is sealed or published while the caller's turn runs.
    expect(publisher.attempts).toBe(0);
    expect(buffer.stats()).toMatchObject({ recorded: 3, pending: 3, assignedThrough: 3 });

    await until(() => publisher.records().length === 3);
    const [a, b, c] = publisher.records();
    expect([a.sequence, b.sequence, c.sequence]).toEqual([1, 2, 3]);
    expect([a.previousSequence, b.previousSequence, c.previousSequence]).toEqual([0, 1, 2]);
    expect([a.previousHash, b.previousHash, c.previousHash]).toEqual([GENESIS_HASH, a.hash, b.hash]);
    for (const [i, r] of [a, b, c].entries()) {
      expect(r.hash).toBe(hashBody(r.body));
      expect(decodeRecordBody(r.body)).toEqual({ ...drafts[i], instanceId: INSTANCE, sequence: r.sequence, previousSequence: r.previousSequence, previousHash: r.previousHash });
      expect(r.customerId).toBe(String(i + 1));
    }
    expect(publisher.batches[0]).toMatchObject({ instanceId: INSTANCE, assignedThrough: 3, closed: false });
    expect(buffer.stats()).toMatchObject({ published: 3, pending: 0, batchesPublished: 1 });
  });

  it('cuts batches by record count and by bytes', async () => {
    const { publisher, buffer } = setup({ maxBatchRecords: 10, maxBatchAgeMs: 10_000 });
    for (let i = 0; i < 25; i++) buffer.record(sampleDraft());
    await until(() => publisher.records().length === 20);
    expect(publisher.batches.map((b) => b.records.length)).toEqual([10, 10]);
    expect(await buffer.drained()).toBe(true);
    expect(publisher.batches.map((b) => b.records.length)).toEqual([10, 10, 5]);

    const bytes = setup({ maxBatchBytes: 1, maxBatchAgeMs: 10_000 });
    for (let i = 0; i < 3; i++) bytes.buffer.record(sampleDraft());
    await until(() => bytes.publisher.records().length === 3);
    expect(bytes.publisher.batches.map((b) => b.records.length)).toEqual([1, 1, 1]);
  });

  it('retries a failed batch, the same records, before anything newer, and counts the failures', async () => {
    const { publisher, buffer } = setup();
    publisher.down = true;
    buffer.record(sampleDraft());
    await until(() => buffer.stats().publishFailures >= 2);
    buffer.record(sampleDraft());
    publisher.down = false;
    await until(() => publisher.records().length === 2);
    expect(publisher.records().map((r) => r.sequence)).toEqual([1, 2]);
    expect(publisher.records()[1].previousHash).toBe(publisher.records()[0].hash);
    expect(buffer.stats()).toMatchObject({ recorded: 2, published: 2, pending: 0 });
  });

  it('publishes again a batch whose publish succeeded while another failed: it may have landed nowhere', async () => {
    const { publisher, buffer } = setup({ maxBatchRecords: 1, maxPublishesInFlight: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const publish = publisher.publish.bind(publisher);
    // The first publish hangs (a client retrying through an outage), the second fails meanwhile.
    publisher.publish = async (batch) => {
      calls++;
      if (calls === 1) {
        await gate;
        return publish(batch);
      }
      if (calls === 2) throw new Error('UNAVAILABLE');
      return publish(batch);
    };
    buffer.record(sampleDraft());
    buffer.record(sampleDraft());
    await until(() => calls >= 2);
    release();
    await until(() => buffer.stats().pending === 0);
    // Record 1 went out twice (its first publish overlapped the failure), record 2 once after its retry.
    expect(publisher.records().map((r) => r.sequence).sort()).toEqual([1, 1, 2]);
    expect(buffer.stats()).toMatchObject({ published: 2, publishFailures: 1 });
  });

  it('reject: refuses decisions once the backlog is full, and takes them again once it drains', async () => {
    const { publisher, buffer } = setup({ policy: 'reject', maxPendingRecords: 3 });
    publisher.down = true;
    for (let i = 0; i < 3; i++) buffer.record(sampleDraft());
    expect(() => buffer.record(sampleDraft())).toThrow(DecisionBacklogFullError);
    expect(buffer.stats()).toMatchObject({ recorded: 3, rejected: 1, dropped: 0, assignedThrough: 3 });
    publisher.down = false;
    await until(() => buffer.stats().pending === 0);
    buffer.record(sampleDraft());
    await until(() => publisher.records().length === 4);
    // A refused decision took no number: the chain has no gap.
    expect(publisher.records().map((r) => [r.sequence, r.previousSequence])).toEqual([[1, 0], [2, 1], [3, 2], [4, 3]]);
  });

  it('drop: answers with the backlog full, counts the loss and skips its number, so the gap shows', async () => {
    const { publisher, buffer } = setup({ policy: 'drop', maxPendingRecords: 2 });
    publisher.down = true;
    buffer.record(sampleDraft());
    buffer.record(sampleDraft());
    expect(() => buffer.record(sampleDraft())).not.toThrow();
    expect(buffer.stats()).toMatchObject({ recorded: 2, dropped: 1, assignedThrough: 3 });
    publisher.down = false;
    await until(() => buffer.stats().pending === 0);
    buffer.record(sampleDraft());
    await until(() => publisher.records().length === 3);
    expect(publisher.records().map((r) => [r.sequence, r.previousSequence])).toEqual([[1, 0], [2, 1], [4, 2]]);
  });

  it('bounds held bytes as well as records', () => {
    const { publisher, buffer } = setup({ maxPendingBytes: 1_500 });
    publisher.down = true;
    buffer.record(sampleDraft());
    expect(() => buffer.record(sampleDraft())).toThrow(/records wait for messaging/);
  });

  it('close publishes everything held and a closing batch; afterwards the policy applies to every decision', async () => {
    const { publisher, buffer } = setup({ maxBatchAgeMs: 60_000 });
    for (let i = 0; i < 4; i++) buffer.record(sampleDraft());
    expect(await buffer.close()).toBe(0);
    expect(publisher.records().map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(publisher.batches[publisher.batches.length - 1]).toMatchObject({ records: [], assignedThrough: 4, closed: true });
    expect(() => buffer.record(sampleDraft())).toThrow(/shutting down/);

    const dropping = setup({ policy: 'drop' });
    await dropping.buffer.close();
    dropping.buffer.record(sampleDraft());
    expect(dropping.buffer.stats()).toMatchObject({ dropped: 1, recorded: 0 });
  });

  it('close gives up after its timeout when messaging stays down, and says how many records are lost', async () => {
    const { publisher, buffer } = setup();
    publisher.down = true;
    buffer.record(sampleDraft());
    buffer.record(sampleDraft());
    expect(await buffer.close(50)).toBe(2);
    expect(publisher.batches.some((b) => b.closed)).toBe(false);
  });

  it('keeps publishing in order-independent batches with at most maxPublishesInFlight at once', async () => {
    const { publisher, buffer } = setup({ maxBatchRecords: 1, maxPublishesInFlight: 2 });
    let release!: () => void;
    publisher.hold = new Promise((r) => (release = r));
    for (let i = 0; i < 5; i++) buffer.record(sampleDraft());
    await until(() => publisher.attempts === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(publisher.attempts).toBe(2);
    publisher.hold = null;
    release();
    await until(() => publisher.records().length === 5);
    expect(publisher.records().map((r) => r.sequence).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses nonsensical options', () => {
    expect(() => new DecisionBuffer(INSTANCE, new FakePublisher(), { policy: 'drop', maxBatchRecords: 0 })).toThrow(RangeError);
  });
});
