import { bnplCatalog, money, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, L1CachedOnlineStore } from '@bnpl/online-store';
import { GetOnlineFeatures } from '@bnpl/serving';
import type { DecisionBatch, DecisionPublisher } from '../buffer/decision-batch';
import { DecisionBuffer } from '../buffer/decision-buffer';
import { DecisionBacklogFullError } from '../errors/decision-backlog-full.error';
import { InvalidDecisionIdError } from '../errors/invalid-decision-id.error';
import { decodeRecordBody } from '../record/canonical-record';
import { decisionIdTime } from '../record/decision-id';
import { definitionFingerprints } from '../record/definition-fingerprint';
import { ServeDecision } from './serve-decision';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const noSource: SourceFeatureReader = { readView: async (_v, ids) => ids.map(() => null), readViewRange: async () => [] };

class Publisher implements DecisionPublisher {
  readonly batches: DecisionBatch[] = [];
  down = false;
  async publish(batch: DecisionBatch): Promise<void> {
    if (this.down) throw new Error('down');
    this.batches.push(batch);
  }
}

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

async function setup(policy: 'reject' | 'drop' | null = 'reject') {
  const store = new L1CachedOnlineStore(new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `serve-decision-${Math.random()}` }), { maxEntries: 100, ttlMs: 60_000 });
  await store.write([{ key: { entity: 'customer', id: '1' }, view: 'customer_exposure', values: { outstanding_balance: money(500, 'EUR'), utilization: 0.25 }, eventTime: new Date(NOW.getTime() - 60_000) }]);
  const read = new GetOnlineFeatures(bnplCatalog, store, noSource, { clock: () => NOW, streamWatermarkRefreshMs: 0 });
  const publisher = new Publisher();
  const buffer = policy ? new DecisionBuffer('rest-gateway:20261201T100000Z:0123456789ab', publisher, { policy, maxBatchAgeMs: 1, maxPendingRecords: 2 }) : null;
  closing.push(() => read.close(), async () => buffer?.close(50));
  return { serve: new ServeDecision(read, bnplCatalog, buffer), publisher, buffer };
}

const command = { features: ['customer_exposure:outstanding_balance', 'customer_exposure:utilization', 'credit_request:exposure_after_order'], entityRows: [{ customer_id: '1' }], requestContext: { requested_amount: money(1_000, 'EUR') } };

describe('ServeDecision', () => {
  it('answers with a new UUID v7 decision id and records exactly what it answered', async () => {
    const { serve, publisher, buffer } = await setup();
    const served = await serve.execute(command, { requestedId: undefined, edge: 'grpc', principal: { id: 'key:0123456789ab', kind: 'api-key' } });
    expect(decisionIdTime(served.decisionId)).not.toBeNull();
    expect(await buffer?.drained()).toBe(true);
    const record = decodeRecordBody(publisher.batches[0].records[0].body);
    expect(record).toMatchObject({
      decisionId: served.decisionId,
      servedAt: NOW,
      edge: 'grpc',
      principal: { id: 'key:0123456789ab', kind: 'api-key' },
      featureService: null,
      featureNames: served.result.feature_names,
      definitions: definitionFingerprints(bnplCatalog, ['customer_exposure', 'credit_request']),
      requestContext: { requested_amount: money(1_000, 'EUR') },
      streamWatermark: null,
    });
    expect(record.rows).toEqual(served.result.results.map((r) => ({ entityRow: r.entityRow, values: r.values.map((v, j) => ({ ...v, origin: ['online-store', 'online-store', 'request'][j], streamed: false })) })));
  });

  it("keeps the caller's id, and refuses a malformed one before reading anything", async () => {
    const { serve, buffer } = await setup();
    expect((await serve.execute(command, { requestedId: 'app-ref-1', edge: 'rest', principal: null })).decisionId).toBe('app-ref-1');
    await expect(serve.execute(command, { requestedId: 'bad id', edge: 'rest', principal: null })).rejects.toBeInstanceOf(InvalidDecisionIdError);
    expect(buffer?.stats().recorded).toBe(1);
  });

  it('withholds the answer when the record cannot be kept (reject), serves it unrecorded under drop', async () => {
    const rejecting = await setup('reject');
    rejecting.publisher.down = true;
    await rejecting.serve.execute(command, { requestedId: undefined, edge: 'rest', principal: null });
    await rejecting.serve.execute(command, { requestedId: undefined, edge: 'rest', principal: null });
    await expect(rejecting.serve.execute(command, { requestedId: undefined, edge: 'rest', principal: null })).rejects.toBeInstanceOf(DecisionBacklogFullError);

    const dropping = await setup('drop');
    dropping.publisher.down = true;
    for (let i = 0; i < 3; i++) await dropping.serve.execute(command, { requestedId: undefined, edge: 'rest', principal: null });
    expect(dropping.buffer?.stats()).toMatchObject({ recorded: 2, dropped: 1 });
  });

  it('answers with a decision id and records nothing when recording is off', async () => {
    const { serve } = await setup(null);
    expect(serve.recording).toBe(false);
    const served = await serve.execute(command, { requestedId: 'x-1', edge: 'rest', principal: null });
    expect(served).toMatchObject({ decisionId: 'x-1', result: { feature_names: command.features } });
  });
});
