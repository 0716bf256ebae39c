import { bnplCatalog, money } from '@bnpl/feature-definitions';
import type { HistoricalFeaturesRequest, HistoricalFeaturesResult } from '@bnpl/offline-store';
import { RecordChain } from '../chain/record-chain';
import { DecisionNotFoundError } from '../errors/decision-not-found.error';
import { InvalidDecisionIdError } from '../errors/invalid-decision-id.error';
import { InvalidDecisionQueryError } from '../errors/invalid-decision-query.error';
import { OutcomeConflictError } from '../errors/outcome-conflict.error';
import { OutcomeNotPermittedError } from '../errors/outcome-not-permitted.error';
import { definitionFingerprints } from '../record/definition-fingerprint';
import type { ReplayHistory } from '../replay/replay';
import { InMemoryDecisionStore } from '../store/in-memory-decision-store';
import { batchOf, sampleDraft } from '../testing/sample-records';
import { servedTrainingSet } from './build-served-training-set';
import { EnforceRetention } from './enforce-retention';
import { IngestDecisionBatch } from './ingest-decision-batch';
import { RecordOutcome } from './record-outcome';
import { ReplayDay } from './replay-day';
import { ReplayDecision } from './replay-decision';
import { ShowDecision } from './show-decision';
import { VerifyDay, retentionCutoff } from './verify-day';

const INSTANCE = 'rest-gateway:20261201T100000Z:0123456789ab';
const defs = definitionFingerprints(bnplCatalog, ['customer_profile', 'customer_exposure', 'merchant_risk', 'credit_request']);

async function stored(count = 3) {
  const store = new InMemoryDecisionStore();
  const chain = new RecordChain(INSTANCE);
  const records = Array.from({ length: count }, (_, i) => chain.seal(sampleDraft({ at: new Date(Date.parse('2026-12-01T10:00:00Z') + i * 1000), customerId: String(i + 1), definitions: defs }), chain.take()));
  await new IngestDecisionBatch(store).execute(batchOf(records, { closed: true }));
  return { store, records };
}

/** History giving back every value as served (the sample's values). */
const faithful: ReplayHistory = {
  async getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult> {
    const refs = ['customer_profile:kyc_level', 'customer_exposure:outstanding_balance', 'customer_exposure:utilization', 'merchant_risk:merchant_category'];
    const features = request.features ?? [];
    const rows = (request.entityRows ?? []).map((row) => ({
      entityRow: {},
      features: features.map((f) => {
        // What the sample served at that instant.
        const v = sampleDraft({ at: row.event_timestamp as Date }).rows[0].values[refs.indexOf(f)];
        // The offline store answers a stale row with the default.
        return v.status === 'STALE' ? { value: 1, status: v.status, eventTime: v.eventTime } : { value: v.value, status: v.status, eventTime: v.eventTime };
      }),
    }));
    return { featureNames: features, omittedRequestFeatures: [], columns: [], rowCount: rows.length, rows };
  },
};

describe('decision queries', () => {
  it('shows a decision exactly as served, with what each feature means and its outcome', async () => {
    const { store, records } = await stored();
    const view = await new ShowDecision(store, bnplCatalog).execute(records[1].decisionId);
    expect(view.record).toMatchObject({ decisionId: records[1].decisionId, sequence: 2, rows: [{ entityRow: { customer_id: '2', merchant_id: '7' } }] });
    expect(view).toMatchObject({ hash: records[1].hash, intact: true, outcome: null, repeats: [] });
    expect(view.features[0]).toEqual({ feature: 'customer_profile:kyc_level', description: bnplCatalog.getFeature('customer_profile:kyc_level').feature.description, definitionChanged: false });
    expect(view.features[4].description).toMatch(/outstanding_balance \+ requested_amount/);
    await expect(new ShowDecision(store, bnplCatalog).execute('no-such-decision')).rejects.toBeInstanceOf(DecisionNotFoundError);
    await expect(new ShowDecision(store, bnplCatalog).execute('bad/id')).rejects.toBeInstanceOf(InvalidDecisionIdError);
  });

  it('records outcomes: created, the same again, a label later; 409 on a contradiction, 404 for an unknown decision', async () => {
    const { store, records } = await stored();
    const outcomes = new RecordOutcome(store, { waitForRecordMs: 20, pollMs: 5, clock: () => new Date('2026-12-01T10:05:00Z') });
    const poster = { id: 'key:0123456789ab', admin: false };
    const id = records[0].decisionId;
    expect((await outcomes.execute(id, { decision: 'declined', reasonCodes: ['HIGH_UTILIZATION'] }, poster)).change).toBe('created');
    expect((await outcomes.execute(id, { decision: 'declined', reasonCodes: ['HIGH_UTILIZATION'] }, poster)).change).toBe('unchanged');
    expect((await outcomes.execute(id, { decision: 'declined', reasonCodes: ['HIGH_UTILIZATION'], repayment: 'defaulted' }, poster)).change).toBe('labelled');
    await expect(outcomes.execute(id, { decision: 'approved' }, poster)).rejects.toBeInstanceOf(OutcomeConflictError);
    await expect(outcomes.execute('never-served', { decision: 'approved' }, poster)).rejects.toBeInstanceOf(DecisionNotFoundError);
    expect(await store.getOutcome(id)).toMatchObject({ decision: 'declined', repayment: 'defaulted', revision: 2, postedBy: 'key:0123456789ab' });
    expect((await new ShowDecision(store, bnplCatalog).execute(id)).outcome).toMatchObject({ decision: 'declined' });
  });

  it('lets only the principal served (or an admin, or anyone with access control off) post an outcome', async () => {
    const { store, records } = await stored();
    const outcomes = new RecordOutcome(store, { waitForRecordMs: 0 });
    await expect(outcomes.execute(records[0].decisionId, { decision: 'approved' }, { id: 'key:ffffffffffff', admin: false })).rejects.toBeInstanceOf(OutcomeNotPermittedError);
    expect((await outcomes.execute(records[0].decisionId, { decision: 'approved' }, { id: 'key:ffffffffffff', admin: true })).change).toBe('created');
    expect((await outcomes.execute(records[1].decisionId, { decision: 'approved' }, null)).change).toBe('created');
  });

  it('waits for a record still on its way before answering 404', async () => {
    const store = new InMemoryDecisionStore();
    const chain = new RecordChain(INSTANCE);
    const record = chain.seal(sampleDraft(), chain.take());
    const posting = new RecordOutcome(store, { waitForRecordMs: 2_000, pollMs: 5 }).execute(record.decisionId, { decision: 'approved' }, null);
    setTimeout(() => void store.append(batchOf([record])), 30);
    expect((await posting).change).toBe('created');
  });

  it('replays a decision, and a whole day with skew rates per feature', async () => {
    const { store, records } = await stored(5);
    const replay = await new ReplayDecision(store, faithful, bnplCatalog).execute(records[0].decisionId);
    expect(replay).toMatchObject({ decisionId: records[0].decisionId, verdict: 'equal', equal: 5, differs: 0, notReplayable: 0 });
    await expect(new ReplayDecision(store, faithful, bnplCatalog).execute('unknown')).rejects.toBeInstanceOf(DecisionNotFoundError);

    const progress: number[] = [];
    const day = await new ReplayDay(store, faithful, bnplCatalog).execute('2026-12-01', { chunkSize: 2, onProgress: (n) => progress.push(n) });
    expect(day).toMatchObject({ day: '2026-12-01', decisions: 5, verdicts: { equal: 5, differs: 0, partial: 0, notReplayable: 0 }, examples: [] });
    expect(progress).toEqual([2, 4, 5]);
    expect(day.features.map((f) => [f.feature, f.equal, f.skewRate])).toEqual(sampleDraft().featureNames.map((f) => [f, 5, 0]));
    await expect(new ReplayDay(store, faithful, bnplCatalog).execute('2026-13-01')).rejects.toBeInstanceOf(InvalidDecisionQueryError);
  });

  it('verifies a day, and enforces retention by calendar months', async () => {
    const { store } = await stored(3);
    expect(await new VerifyDay(store, { retentionMonths: 25, clock: () => new Date('2026-12-02T00:00:00Z') }).execute('2026-12-01')).toMatchObject({ records: 3, complete: true, untouched: true });
    await expect(new VerifyDay(store, { retentionMonths: 25 }).execute('tomorrow')).rejects.toThrow(/"day" must be a day as YYYY-MM-DD/);

    expect(retentionCutoff(new Date('2029-01-31T12:00:00Z'), 25)).toEqual(new Date('2026-12-31T12:00:00Z'));
    expect(retentionCutoff(new Date('2029-03-31T12:00:00Z'), 1)).toEqual(new Date('2029-02-28T12:00:00Z'));
    const early = await new EnforceRetention(store, { retentionMonths: 25, clock: () => new Date('2028-12-31T00:00:00Z') }).execute();
    expect(early).toMatchObject({ records: 0 });
    const late = await new EnforceRetention(store, { retentionMonths: 25, clock: () => new Date('2029-01-02T00:00:00Z') }).execute();
    expect(late).toEqual({ cutoff: new Date('2026-12-02T00:00:00Z'), records: 3, outcomes: 0 });
    expect(() => new EnforceRetention(store, { retentionMonths: 0 })).toThrow(RangeError);
  });

  it('ingests batches idempotently and counts records whose hash does not match', async () => {
    const store = new InMemoryDecisionStore();
    const ingest = new IngestDecisionBatch(store);
    const chain = new RecordChain(INSTANCE);
    const [a, b] = [chain.seal(sampleDraft(), chain.take()), chain.seal(sampleDraft(), chain.take())];
    expect(await ingest.execute(batchOf([a, { ...b, body: `${b.body} ` }]))).toEqual({ written: 2, duplicates: 0 });
    expect(await ingest.execute(batchOf([a]))).toEqual({ written: 0, duplicates: 1 });
    expect(ingest.stats()).toEqual({ batches: 2, written: 2, duplicates: 1, mismatched: 1 });
  });

  it('builds a training set from served vectors joined with outcomes, no point-in-time join', async () => {
    const { store, records } = await stored(3);
    const service = sampleDraft({ featureService: 'credit_decision_v1' });
    const chain = new RecordChain('grpc-serving:20261201T100000Z:0123456789ab');
    const withService = [chain.seal({ ...service, decisionId: 'svc-1' }, chain.take()), chain.seal({ ...service, decisionId: 'svc-2' }, chain.take())];
    await store.append(batchOf(withService));
    const outcomes = new RecordOutcome(store, { waitForRecordMs: 0 });
    await outcomes.execute('svc-1', { decision: 'declined', reasonCodes: ['HIGH_UTILIZATION', 'LATE'], repayment: 'late' }, null);
    await outcomes.execute(records[0].decisionId, { decision: 'approved' }, null);
    const rows: unknown[][] = [];
    for await (const row of servedTrainingSet(store, { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z'), featureService: 'credit_decision_v1' })) rows.push([...row]);
    expect(rows).toEqual([
      [
        'decision_id', 'served_at', 'customer_id', 'merchant_id',
        'customer_profile__kyc_level', 'customer_profile__kyc_level__status',
        'customer_exposure__outstanding_balance__amount_minor', 'customer_exposure__outstanding_balance__currency', 'customer_exposure__outstanding_balance__status',
        'customer_exposure__utilization', 'customer_exposure__utilization__status',
        'merchant_risk__merchant_category', 'merchant_risk__merchant_category__status',
        'credit_request__exposure_after_order__amount_minor', 'credit_request__exposure_after_order__currency', 'credit_request__exposure_after_order__status',
        'decision', 'reason_codes', 'repayment',
      ],
      ['svc-1', '2026-12-01T10:00:00.000Z', '42', '7', 2, 'PRESENT', 50_000, 'EUR', 'PRESENT', 0.4166666666666667, 'STALE', 'unknown', 'MISSING', 62_000, 'EUR', 'PRESENT', 'declined', 'HIGH_UTILIZATION|LATE', 'late'],
    ]);
    const labelled: unknown[] = [];
    for await (const row of servedTrainingSet(store, { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z'), featureService: 'credit_decision_v1', labelledOnly: true })) labelled.push(row);
    expect(labelled).toHaveLength(2);
    await expect(async () => {
      for await (const _ of servedTrainingSet(store, { from: new Date(1), to: new Date(0), featureService: 'x' })) void _;
    }).rejects.toBeInstanceOf(InvalidDecisionQueryError);
    expect(money(1, 'EUR')).toEqual({ amountMinor: 1, currency: 'EUR' });
  });
});
