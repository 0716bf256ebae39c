import { bnplCatalog, money } from '@bnpl/feature-definitions';
import type { HistoricalFeatureValue, HistoricalFeaturesRequest, HistoricalFeaturesResult } from '@bnpl/offline-store';
import { definitionFingerprints } from '../record/definition-fingerprint';
import type { DecisionRecord, ServedValue } from '../record/decision-record';
import { planReplay, replayRecords, type ReplayHistory } from './replay';

const AT = new Date('2026-12-01T10:00:00.000Z');
const ROW_TIME = new Date('2026-12-01T09:30:00.000Z');
const FEATURES = ['customer_exposure:outstanding_balance', 'customer_exposure:utilization', 'credit_request:exposure_after_order'];

function record(values: ServedValue[], overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    decisionId: 'd-1',
    instanceId: 'rest-gateway:20261201T000000Z:aaaaaaaaaaaa',
    sequence: 1,
    previousSequence: 0,
    previousHash: '0'.repeat(64),
    servedAt: AT,
    edge: 'rest',
    principal: null,
    featureService: null,
    featureNames: FEATURES,
    definitions: definitionFingerprints(bnplCatalog, ['customer_exposure', 'credit_request']),
    requestContext: { requested_amount: money(12_000, 'EUR') },
    streamWatermark: null,
    rows: [{ entityRow: { customer_id: '42', merchant_id: '7' }, values }],
    ...overrides,
  };
}

const served = (value: ServedValue['value'], status: ServedValue['status'] = 'PRESENT', eventTime: Date | null = ROW_TIME, origin: ServedValue['origin'] = 'online-store'): ServedValue => ({ value, status, eventTime, origin, streamed: false });
const PRESENT_VALUES = [served(money(50_000, 'EUR')), served(0.5), served(money(62_000, 'EUR'), 'PRESENT', AT, 'request')];

/** History answering each asked (feature) with what `answer` gives, recording the requests. */
class FakeHistory implements ReplayHistory {
  readonly requests: HistoricalFeaturesRequest[] = [];
  constructor(private readonly answer: (feature: string, row: Record<string, unknown>) => HistoricalFeatureValue) {}
  async getHistoricalFeatures(request: HistoricalFeaturesRequest): Promise<HistoricalFeaturesResult> {
    this.requests.push(request);
    const features = request.features ?? [];
    const rows = (request.entityRows ?? []).map((row) => ({ entityRow: row as unknown as Record<string, never>, features: features.map((f) => this.answer(f, row)) }));
    return { featureNames: features, omittedRequestFeatures: [], columns: [], rowCount: rows.length, rows };
  }
}

const present = (value: HistoricalFeatureValue['value']): HistoricalFeatureValue => ({ value, status: 'PRESENT', eventTime: ROW_TIME });
const missing = (value: HistoricalFeatureValue['value']): HistoricalFeatureValue => ({ value, status: 'MISSING', eventTime: null });

describe('replay', () => {
  it('reads the served features as of the served instant and finds them equal; request-time features recomputed', async () => {
    const history = new FakeHistory((f) => (f.endsWith('outstanding_balance') ? present(money(50_000, 'EUR')) : present(0.5)));
    const [replay] = await replayRecords(bnplCatalog, history, [record(PRESENT_VALUES)]);
    expect(history.requests).toEqual([{ entityRows: [{ customer_id: '42', event_timestamp: AT }], features: ['customer_exposure:outstanding_balance', 'customer_exposure:utilization'], output: { kind: 'memory' } }]);
    expect(replay).toMatchObject({ decisionId: 'd-1', verdict: 'equal', equal: 3, differs: 0, notReplayable: 0, changedDefinitions: [] });
  });

  it('shows every difference with both values: skew', async () => {
    const history = new FakeHistory((f) => (f.endsWith('outstanding_balance') ? present(money(40_000, 'EUR')) : present(0.5)));
    const [replay] = await replayRecords(bnplCatalog, history, [record(PRESENT_VALUES)]);
    expect(replay).toMatchObject({ verdict: 'differs', equal: 1, differs: 2 });
    expect(replay.rows[0].features).toEqual([
      { feature: FEATURES[0], verdict: 'differs', served: { value: money(50_000, 'EUR'), status: 'PRESENT', eventTime: ROW_TIME }, replayed: { value: money(40_000, 'EUR'), status: 'PRESENT', eventTime: ROW_TIME } },
      { feature: FEATURES[1], verdict: 'equal', served: { value: 0.5, status: 'PRESENT', eventTime: ROW_TIME } },
      { feature: FEATURES[2], verdict: 'differs', served: { value: money(62_000, 'EUR'), status: 'PRESENT', eventTime: AT }, replayed: { value: money(52_000, 'EUR'), status: 'PRESENT', eventTime: AT } },
    ]);
  });

  it('says a decision older than the history is not replayable, feature by feature, with the reason', async () => {
    const history = new FakeHistory(() => missing(0));
    const [replay] = await replayRecords(bnplCatalog, history, [record(PRESENT_VALUES)]);
    expect(replay).toMatchObject({ verdict: 'not_replayable', equal: 0, differs: 0, notReplayable: 3 });
    expect(replay.rows[0].features.map((f) => (f.verdict === 'not_replayable' ? f.reason : f.verdict))).toEqual([
      'the offline history of customer_exposure has no row for this entity at or before 2026-12-01T10:00:00.000Z',
      'the offline history of customer_exposure has no row for this entity at or before 2026-12-01T10:00:00.000Z',
      'it reads customer_exposure:outstanding_balance, which the history cannot give',
    ]);
  });

  it('treats MISSING served and MISSING replayed as equal, and a stale row by its event time', async () => {
    const values = [served(money(0, 'XXX'), 'MISSING', null, 'source'), served(0.9, 'STALE', new Date('2026-12-01T07:00:00Z')), served(money(12_000, 'EUR'), 'PRESENT', AT, 'request')];
    const history = new FakeHistory((f) => (f.endsWith('outstanding_balance') ? missing(money(0, 'XXX')) : { value: 1, status: 'STALE', eventTime: new Date('2026-12-01T07:00:00Z') }));
    const [replay] = await replayRecords(bnplCatalog, history, [record(values)]);
    expect(replay).toMatchObject({ verdict: 'equal', equal: 3 });
  });

  it('is partial when some features cannot be replayed and the rest are equal', async () => {
    const history = new FakeHistory((f) => (f.endsWith('utilization') ? missing(1) : present(money(50_000, 'EUR'))));
    const [replay] = await replayRecords(bnplCatalog, history, [record(PRESENT_VALUES)]);
    expect(replay).toMatchObject({ verdict: 'partial', equal: 2, notReplayable: 1 });
  });

  it('names views whose definition changed since the decision, and features no longer in the catalog', async () => {
    const old = record([...PRESENT_VALUES, served(3)], { featureNames: [...FEATURES, 'customer_exposure:retired_feature'], definitions: { customer_exposure: '0000000000000000', credit_request: definitionFingerprints(bnplCatalog, ['credit_request'])['credit_request'] } });
    const [replay] = await replayRecords(bnplCatalog, new FakeHistory((f) => (f.endsWith('balance') ? present(money(50_000, 'EUR')) : present(0.5))), [old]);
    expect(replay.changedDefinitions).toEqual(['customer_exposure']);
    expect(replay.rows[0].features[3]).toMatchObject({ verdict: 'not_replayable', reason: 'customer_exposure:retired_feature is no longer in the catalog' });
  });

  it('plans one retrieval for many records: rows deduplicated by ids and instant, only the needed join keys', () => {
    const a = record(PRESENT_VALUES);
    const b = record(PRESENT_VALUES, { decisionId: 'd-2', rows: [...a.rows, { entityRow: { customer_id: '43', merchant_id: '7' }, values: PRESENT_VALUES }] });
    const c = record(PRESENT_VALUES, { decisionId: 'd-3', servedAt: new Date(AT.getTime() + 1) });
    const plan = planReplay(bnplCatalog, [a, b, c]);
    expect(plan.request?.entityRows).toEqual([
      { customer_id: '42', event_timestamp: AT },
      { customer_id: '43', event_timestamp: AT },
      { customer_id: '42', event_timestamp: new Date(AT.getTime() + 1) },
    ]);
    expect(plan.rowIndex).toEqual([[0], [0, 1], [2]]);
  });
});
