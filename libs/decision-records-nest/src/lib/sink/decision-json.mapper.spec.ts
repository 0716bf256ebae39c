import { bnplCatalog, money } from '@bnpl/feature-definitions';
import { InMemoryDecisionStore, RecordChain, ShowDecision, batchOf, sampleDraft } from '@bnpl/decision-records';
import { decisionJson, valueJson } from './decision-json.mapper';

describe('decision JSON', () => {
  it('writes values as the REST API does: money with a string amount', () => {
    expect(valueJson(money(12_000, 'EUR'))).toEqual({ amount_minor: '12000', currency: 'EUR' });
    expect([valueJson(2), valueJson('GB'), valueJson(true), valueJson(Number.NaN)]).toEqual([2, 'GB', true, 'NaN']);
  });

  it('writes a decision field by field in snake_case, each value with its origin', async () => {
    const store = new InMemoryDecisionStore();
    const chain = new RecordChain('rest-gateway:20261201T100000Z:0123456789ab');
    const record = chain.seal(sampleDraft(), chain.take());
    await store.append(batchOf([record]));
    const json = decisionJson(await new ShowDecision(store, bnplCatalog).execute(record.decisionId)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['decision_id', 'served_at', 'edge', 'principal', 'feature_service', 'request_context', 'stream_watermark', 'features', 'results', 'outcome', 'record', 'repeats']);
    expect(json).toMatchObject({
      decision_id: record.decisionId,
      principal: { id: 'key:0123456789ab', kind: 'api-key' },
      request_context: { requested_amount: { amount_minor: '12000', currency: 'EUR' } },
      results: [{ entity_row: { customer_id: '42', merchant_id: '7' }, values: [{ value: 2, status: 'PRESENT', event_time: '2026-12-01T09:59:00.000Z', origin: 'l1', streamed: true }, expect.anything(), expect.anything(), expect.anything(), expect.anything()] }],
      record: { sequence: 1, previous_sequence: 0, hash: record.hash, intact: true },
      outcome: null,
      repeats: [],
    });
  });
});
