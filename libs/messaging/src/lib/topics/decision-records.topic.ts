import { isValidEntityId } from '@bnpl/feature-definitions';
import { Root } from 'protobufjs';
import { decisionRecordsDescriptor } from '../../generated/decision-records.descriptor';
import { InvalidMessagePayloadError } from '../errors/invalid-message-payload.error';
import { toTimestamp } from './proto-fields';
import type { Topic } from './topic';

/** One decision record as it travels (proto `DecisionRecord`); hashes as lowercase hex, the body as text. */
export interface DecisionRecordMessage {
  readonly decisionId: string;
  readonly sequence: number;
  readonly previousSequence: number;
  readonly previousHash: string;
  readonly servedAt: Date;
  readonly customerId: string | null;
  /** The canonical JSON the instance hashed (UTF-8 on the wire). */
  readonly body: string;
  readonly hash: string;
}

/** A serving instance's records (proto `DecisionRecordBatch`). */
export interface DecisionRecordBatchMessage {
  readonly instanceId: string;
  readonly records: readonly DecisionRecordMessage[];
  readonly assignedThrough: number;
  readonly closed: boolean;
  readonly sentAt: Date;
}

const TOPIC = 'bnpl.decisions.records';
const type = Root.fromJSON(decisionRecordsDescriptor).lookupType('bnpl.featurestore.v1.DecisionRecordBatch');
const INSTANCE_ID = /^[a-z][a-z0-9-]{0,39}:[0-9]{8}T[0-9]{6}Z:[0-9a-f]{12}$/;
const DECISION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * Every rule a batch must meet, on the payload itself: `encode` applies it before encoding and `decode`
 * after, so a producer cannot publish what a consumer would refuse, without encoding twice.
 */
function check(batch: DecisionRecordBatchMessage): void {
  const fail = (detail: string): never => {
    throw new InvalidMessagePayloadError(TOPIC, detail);
  };
  if (!INSTANCE_ID.test(batch.instanceId)) fail(`instanceId: ${JSON.stringify(batch.instanceId.slice(0, 80))} is not an instance id`);
  if (!Number.isSafeInteger(batch.assignedThrough) || batch.assignedThrough < 0) fail('assignedThrough: must be a non-negative integer');
  if (!(batch.sentAt instanceof Date) || Number.isNaN(batch.sentAt.getTime())) fail('sentAt: is required');
  let last = 0;
  batch.records.forEach((r, i) => {
    const at = `records[${i}]`;
    if (!DECISION_ID.test(r.decisionId)) fail(`${at}.decisionId: ${JSON.stringify(r.decisionId.slice(0, 80))} is not a decision id`);
    if (!Number.isSafeInteger(r.sequence) || r.sequence <= last) fail(`${at}.sequence: must be an integer above the previous record's (${last})`);
    if (!Number.isSafeInteger(r.previousSequence) || r.previousSequence < 0 || r.previousSequence >= r.sequence) fail(`${at}.previousSequence: must be below its sequence`);
    if (!HEX_HASH.test(r.previousHash) || !HEX_HASH.test(r.hash)) fail(`${at}: hashes must be 32 bytes`);
    if (!(r.servedAt instanceof Date) || Number.isNaN(r.servedAt.getTime())) fail(`${at}.servedAt: is required`);
    if (r.customerId !== null && !isValidEntityId(r.customerId)) fail(`${at}.customerId: must be a positive integer`);
    if (r.body.length === 0) fail(`${at}.body: is empty`);
    last = r.sequence;
  });
  if (batch.assignedThrough < last) fail(`assignedThrough: ${batch.assignedThrough} is below the last record's sequence ${last}`);
}

interface Timestamp {
  seconds: { toString(): string } | string | number;
  nanos: number;
}
interface PlainRecord {
  decisionId: string;
  sequence: { toString(): string } | string | number;
  previousSequence: { toString(): string } | string | number;
  previousHash: Uint8Array;
  servedAt: Timestamp | null;
  customerId: { toString(): string } | string | number;
  body: Uint8Array;
  hash: Uint8Array;
}
interface PlainBatch {
  instanceId: string;
  records: PlainRecord[];
  assignedThrough: { toString(): string } | string | number;
  closed: boolean;
  sentAt: Timestamp | null;
}

const date = (t: Timestamp | null): Date => (t ? new Date(Number(t.seconds.toString()) * 1000 + Math.floor(t.nanos / 1e6)) : new Date(NaN));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const bytesOf = (text: string, encoding: 'hex' | 'utf8'): Uint8Array => Buffer.from(text, encoding);

/**
 * `bnpl.decisions.records`: published by every serving instance (rest-gateway, grpc-serving), consumed by
 * the decision sink in the batch-processor (one shared subscription) into the offline store.
 */
export const decisionRecordsTopic: Topic<DecisionRecordBatchMessage> = Object.freeze({
  name: TOPIC,
  messageType: 'bnpl.featurestore.v1.DecisionRecordBatch',
  encode(batch: DecisionRecordBatchMessage): Uint8Array {
    check(batch);
    // A plain object of the wire types, encoded directly: no fromObject pass over megabytes of bodies.
    const plain: PlainBatch = {
      instanceId: batch.instanceId,
      assignedThrough: batch.assignedThrough,
      closed: batch.closed,
      sentAt: toTimestamp(batch.sentAt, 'sentAt'),
      records: batch.records.map((r) => ({
        decisionId: r.decisionId,
        sequence: r.sequence,
        previousSequence: r.previousSequence,
        previousHash: bytesOf(r.previousHash, 'hex'),
        servedAt: toTimestamp(r.servedAt, 'servedAt'),
        customerId: r.customerId === null ? 0 : r.customerId,
        body: bytesOf(r.body, 'utf8'),
        hash: bytesOf(r.hash, 'hex'),
      })),
    };
    return type.encode(plain).finish();
  },
  decode(data: Uint8Array): DecisionRecordBatchMessage {
    let plain: PlainBatch;
    try {
      plain = type.decode(data) as unknown as PlainBatch;
    } catch (error) {
      throw new InvalidMessagePayloadError(TOPIC, `not a bnpl.featurestore.v1.DecisionRecordBatch message (${error instanceof Error ? error.message : String(error)})`);
    }
    const batch: DecisionRecordBatchMessage = {
      instanceId: plain.instanceId ?? '',
      assignedThrough: Number((plain.assignedThrough ?? 0).toString()),
      closed: plain.closed ?? false,
      sentAt: date(plain.sentAt ?? null),
      records: (plain.records ?? []).map((r) => {
        const customerId = (r.customerId ?? 0).toString();
        return {
          decisionId: r.decisionId ?? '',
          sequence: Number((r.sequence ?? 0).toString()),
          previousSequence: Number((r.previousSequence ?? 0).toString()),
          previousHash: hex(r.previousHash ?? new Uint8Array()),
          servedAt: date(r.servedAt ?? null),
          customerId: customerId === '0' ? null : customerId,
          body: Buffer.from(r.body ?? new Uint8Array()).toString('utf8'),
          hash: hex(r.hash ?? new Uint8Array()),
        };
      }),
    };
    check(batch);
    return batch;
  },
});
