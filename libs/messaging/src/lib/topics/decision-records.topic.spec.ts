import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadSync } from 'protobufjs';
import { decisionRecordsDescriptor } from '../../generated/decision-records.descriptor';
import { InvalidMessagePayloadError } from '../errors/invalid-message-payload.error';
import { decisionRecordsTopic, type DecisionRecordBatchMessage, type DecisionRecordMessage } from './decision-records.topic';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const record = (sequence: number, overrides: Partial<DecisionRecordMessage> = {}): DecisionRecordMessage => {
  const body = `{"v":1,"sequence":${sequence},"text":"é\\u2028✓"}`;
  return { decisionId: '0190d5b2-7c1e-7abc-8def-0123456789ab', sequence, previousSequence: sequence - 1, previousHash: sequence === 1 ? '0'.repeat(64) : sha('x'), servedAt: new Date('2026-12-01T10:00:00.123Z'), customerId: '9223372036854775807', body, hash: sha(body), ...overrides };
};
const batch = (overrides: Partial<DecisionRecordBatchMessage> = {}): DecisionRecordBatchMessage => ({
  instanceId: 'rest-gateway:20261201T100000Z:0123456789ab',
  records: [record(1), record(2, { customerId: null, decisionId: 'app-ref:7' }), record(5, { previousSequence: 2 })],
  assignedThrough: 7,
  closed: false,
  sentAt: new Date('2026-12-01T10:00:01.000Z'),
  ...overrides,
});

function invalid(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMessagePayloadError);
    return (error as Error).message;
  }
  throw new Error('expected InvalidMessagePayloadError');
}

describe('decisionRecordsTopic', () => {
  it('is generated from proto/bnpl/featurestore/v1/decision_records.proto as it is now (else: npx nx run messaging:generate)', () => {
    const proto = loadSync(join(__dirname, '../../../../../proto/bnpl/featurestore/v1/decision_records.proto')).resolveAll();
    expect(decisionRecordsDescriptor).toEqual(proto.toJSON());
  });

  it('round-trips a batch exactly: bodies byte for byte, hashes, 64-bit ids, times', () => {
    const b = batch();
    expect(decisionRecordsTopic.name).toBe('bnpl.decisions.records');
    expect(decisionRecordsTopic.messageType).toBe('bnpl.featurestore.v1.DecisionRecordBatch');
    expect(decisionRecordsTopic.decode(decisionRecordsTopic.encode(b))).toEqual(b);
    const closing = batch({ records: [], closed: true });
    expect(decisionRecordsTopic.decode(decisionRecordsTopic.encode(closing))).toEqual(closing);
  });

  it('refuses to publish, and a consumer refuses to take, a batch that breaks its rules', () => {
    const cases: Array<[Partial<DecisionRecordBatchMessage>, RegExp]> = [
      [{ instanceId: 'nope' }, /instanceId: "nope" is not an instance id/],
      [{ records: [record(2), record(1)] }, /records\[1\]\.sequence: must be an integer above the previous record's \(2\)/],
      [{ records: [record(1, { previousSequence: 1 })] }, /previousSequence: must be below its sequence/],
      [{ records: [record(1, { hash: 'abc' })] }, /hashes must be 32 bytes/],
      [{ records: [record(1, { decisionId: 'a b' })] }, /is not a decision id/],
      [{ records: [record(1, { customerId: '007' })] }, /customerId: must be a positive integer/],
      [{ records: [record(1, { body: '' })] }, /body: is empty/],
      [{ assignedThrough: 4 }, /assignedThrough: 4 is below the last record's sequence 5/],
      [{ sentAt: new Date(NaN) }, /sentAt: is required/],
    ];
    for (const [overrides, message] of cases) {
      expect(invalid(() => decisionRecordsTopic.encode(batch(overrides)))).toMatch(message);
    }
    expect(invalid(() => decisionRecordsTopic.decode(Uint8Array.from([0xff, 0xff, 0xff])))).toMatch(/not a bnpl\.featurestore\.v1\.DecisionRecordBatch message/);
    // An empty message decodes to an instance id of "" and is refused.
    expect(invalid(() => decisionRecordsTopic.decode(new Uint8Array()))).toMatch(/instanceId/);
  });
});
