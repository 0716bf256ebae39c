import { money } from '@bnpl/feature-definitions';
import { RecordChain } from '../chain/record-chain';
import type { DecisionBatch } from '../buffer/decision-batch';
import type { DecisionDraft, SealedRecord } from '../record/decision-record';
import { newDecisionId } from '../record/decision-id';

/**
 * A served decision as the read path would record it: `credit_decision`-like values for one customer and
 * merchant (a few features, every status and origin), for tests of the chain, buffer, stores and verify.
 */
export function sampleDraft(overrides: Partial<DecisionDraft> & { customerId?: string; at?: Date } = {}): DecisionDraft {
  const at = overrides.at ?? new Date('2026-12-01T10:00:00.000Z');
  const customerId = overrides.customerId ?? '42';
  const { at: _at, customerId: _customerId, ...rest } = overrides;
  return {
    decisionId: newDecisionId(at.getTime()),
    servedAt: at,
    edge: 'rest',
    principal: { id: 'key:0123456789ab', kind: 'api-key' },
    featureService: null,
    featureNames: ['customer_profile:kyc_level', 'customer_exposure:outstanding_balance', 'customer_exposure:utilization', 'merchant_risk:merchant_category', 'credit_request:exposure_after_order'],
    definitions: { customer_profile: 'aaaaaaaaaaaaaaaa', customer_exposure: 'bbbbbbbbbbbbbbbb', merchant_risk: 'cccccccccccccccc', credit_request: 'dddddddddddddddd' },
    requestContext: { requested_amount: money(12_000, 'EUR') },
    streamWatermark: new Date(at.getTime() - 1_000),
    rows: [
      {
        entityRow: { customer_id: customerId, merchant_id: '7' },
        values: [
          { value: 2, status: 'PRESENT', eventTime: new Date(at.getTime() - 60_000), origin: 'l1', streamed: true },
          { value: money(50_000, 'EUR'), status: 'PRESENT', eventTime: new Date(at.getTime() - 60_000), origin: 'online-store', streamed: true },
          { value: 0.4166666666666667, status: 'STALE', eventTime: new Date(at.getTime() - 7_200_000), origin: 'online-store', streamed: false },
          { value: 'unknown', status: 'MISSING', eventTime: null, origin: 'source', streamed: false },
          { value: money(62_000, 'EUR'), status: 'PRESENT', eventTime: at, origin: 'request', streamed: false },
        ],
      },
    ],
    ...rest,
  };
}

/** `count` records of one instance, chained, served one second apart from `start`. */
export function sampleChain(instanceId: string, count: number, start = new Date('2026-12-01T10:00:00.000Z'), customerOf: (i: number) => string = (i) => String(i + 1)): SealedRecord[] {
  const chain = new RecordChain(instanceId);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(start.getTime() + i * 1_000);
    return chain.seal(sampleDraft({ at, customerId: customerOf(i) }), chain.take());
  });
}

/** One batch of `records` (of one instance). */
export function batchOf(records: readonly SealedRecord[], options: { assignedThrough?: number; closed?: boolean } = {}): DecisionBatch {
  const instanceId = records[0]?.instanceId ?? 'test:20261201T100000Z:000000000000';
  return { instanceId, records, assignedThrough: options.assignedThrough ?? records[records.length - 1]?.sequence ?? 0, closed: options.closed ?? false, sentAt: new Date('2026-12-01T12:00:00.000Z') };
}
