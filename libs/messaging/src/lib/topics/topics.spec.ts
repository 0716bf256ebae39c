import { join } from 'node:path';
import { loadSync } from 'protobufjs';
import { messagingDescriptor } from '../../generated/messaging.descriptor';
import { InvalidMessagePayloadError } from '../errors/invalid-message-payload.error';
import { featureUpdatesTopic, type FeatureUpdate } from './feature-updates.topic';
import { jobProgressTopic, type JobProgress } from './job-progress.topic';
import { jobRequestsTopic, type JobRequest } from './job-requests.topic';
import { messagingType } from './messaging-types';
import type { Topic } from './topic';

const update: FeatureUpdate = {
  entity: 'customer',
  entityIds: ['1', '9223372036854775807'],
  featureViews: ['customer_exposure'],
  eventTime: new Date('2025-03-01T10:00:00.123Z'),
  sourceLsn: 2n ** 64n - 1n,
};
const request: JobRequest = {
  jobId: '0f8e2c1a-job',
  kind: 'MATERIALIZE_INCREMENTAL',
  entity: 'merchant',
  featureViews: ['merchant_risk'],
  asOf: new Date('2025-01-01T00:00:00Z'),
  timeRange: { start: new Date('1969-12-31T23:59:59.999Z'), end: new Date('2025-01-01T00:00:00Z') },
  shard: { index: 7, count: 8, firstId: '1750001', lastId: '9223372036854775807' },
  attempt: 2,
};
const progress: JobProgress = {
  jobId: 'j',
  state: 'FAILED',
  shardsTotal: 8,
  shardsDone: 8,
  rowsDone: 2 ** 53 - 1,
  error: 'duplicate key',
  reportTime: new Date(0),
  shard: { index: 7, attempt: 3, state: 'FAILED', rowsDone: 12 },
};

/** Wire bytes of a message given as a protobufjs plain object, bypassing the payload checks of encode. */
const wire = (type: 'FeatureUpdate' | 'JobRequest' | 'JobProgress', plain: Record<string, unknown>) => messagingType(type).encode(messagingType(type).fromObject(plain)).finish();

function invalid(topic: Topic<unknown>, act: () => unknown): InvalidMessagePayloadError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMessagePayloadError);
    expect((error as InvalidMessagePayloadError).reason).toBe('INVALID_MESSAGE_PAYLOAD');
    expect((error as Error).message).toContain(`"${topic.name}"`);
    return error as InvalidMessagePayloadError;
  }
  throw new Error('expected InvalidMessagePayloadError');
}

describe('messaging topics', () => {
  it('are generated from proto/bnpl/featurestore/v1/messaging.proto as it is now (else: npx nx run messaging:generate)', () => {
    const proto = loadSync(join(__dirname, '../../../../../proto/bnpl/featurestore/v1/messaging.proto')).resolveAll();
    expect(messagingDescriptor).toEqual(proto.toJSON());
  });

  it('name their topics and message types', () => {
    expect([featureUpdatesTopic, jobRequestsTopic, jobProgressTopic].map((t) => [t.name, t.messageType])).toEqual([
      ['bnpl.features.updates', 'bnpl.featurestore.v1.FeatureUpdate'],
      ['bnpl.jobs.requests', 'bnpl.featurestore.v1.JobRequest'],
      ['bnpl.jobs.progress', 'bnpl.featurestore.v1.JobProgress'],
    ]);
  });

  it('round-trip payloads at the edges of their types, and leave optional fields out when unset', () => {
    expect(featureUpdatesTopic.decode(featureUpdatesTopic.encode(update))).toEqual(update);
    expect(jobRequestsTopic.decode(jobRequestsTopic.encode(request))).toEqual(request);
    expect(jobProgressTopic.decode(jobProgressTopic.encode(progress))).toEqual(progress);

    const { sourceLsn: _lsn, ...batchUpdate } = update;
    expect(featureUpdatesTopic.decode(featureUpdatesTopic.encode(batchUpdate))).toStrictEqual(batchUpdate);
    const { timeRange: _range, ...full } = { ...request, kind: 'MATERIALIZE_FULL' as const };
    expect(jobRequestsTopic.decode(jobRequestsTopic.encode(full))).toStrictEqual(full);
    const planned: JobProgress = { jobId: 'j', state: 'RUNNING', shardsTotal: 4, shardsDone: 0, rowsDone: 0, reportTime: new Date(1) };
    expect(jobProgressTopic.decode(jobProgressTopic.encode(planned))).toStrictEqual(planned);
    const oneIdShard = { ...request, shard: { ...request.shard, firstId: '42', lastId: '42' } };
    expect(jobRequestsTopic.decode(jobRequestsTopic.encode(oneIdShard))).toEqual(oneIdShard);
  });

  it('encode compactly: a feature update of 1,000 customers is under 10 kB', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => String(1_000_000 + i));
    expect(featureUpdatesTopic.encode({ ...update, entityIds: ids }).length).toBeLessThan(10_000);
  });

  it('decode ignores fields they do not know (a newer producer) and rejects bytes that are not their message', () => {
    const withExtra = Buffer.concat([Buffer.from(featureUpdatesTopic.encode(update)), Buffer.from([0xa0, 0x06, 0x01])]); // field 100 = 1
    expect(featureUpdatesTopic.decode(withExtra)).toEqual(update);
    expect(invalid(featureUpdatesTopic, () => featureUpdatesTopic.decode(Uint8Array.from([0xff, 0xff, 0xff]))).message).toMatch(/not a bnpl\.featurestore\.v1\.FeatureUpdate message/);
  });

  it.each<[string, Topic<unknown>, Uint8Array, RegExp]>([
    ['no entity ids', featureUpdatesTopic, wire('FeatureUpdate', { entity: 'customer', eventTime: { seconds: 1 } }), /entityIds: must name at least one entity/],
    ['entity id 0', featureUpdatesTopic, wire('FeatureUpdate', { entity: 'customer', entityIds: ['0'], eventTime: { seconds: 1 } }), /entityIds\.0: must be a positive integer/],
    ['no event time', featureUpdatesTopic, wire('FeatureUpdate', { entity: 'customer', entityIds: ['1'] }), /eventTime: is required/],
    ['a bad view name', featureUpdatesTopic, wire('FeatureUpdate', { entity: 'customer', entityIds: ['1'], featureViews: ['Bad View'], eventTime: { seconds: 1 } }), /featureViews\.0: must be a lower_snake_case name/],
    ['an unknown job kind', jobRequestsTopic, jobRequestWire({ kind: 42 }), /kind: must be one of MATERIALIZE_FULL.*\(got 42\)/],
    ['no job kind', jobRequestsTopic, jobRequestWire({ kind: 0 }), /kind: .*\(got JOB_KIND_UNSPECIFIED\)/],
    ['a reversed time range', jobRequestsTopic, jobRequestWire({ startTime: { seconds: 200 }, endTime: { seconds: 100 } }), /endTime: must be later than startTime/],
    ['half a time range', jobRequestsTopic, jobRequestWire({ startTime: { seconds: 200 } }), /endTime: must be set together/],
    ['a shard beyond the count', jobRequestsTopic, jobRequestWire({ shardIndex: 8, shardCount: 8 }), /shardIndex: must be below shardCount \(8\)/],
    ['a reversed id range', jobRequestsTopic, jobRequestWire({ entityIds: { firstId: '10', lastId: '9' } }), /entityIds\.lastId: must not be below firstId/],
    ['no as-of instant', jobRequestsTopic, jobRequestWire({ asOf: null }), /asOf: is required/],
    ['no entity', jobRequestsTopic, jobRequestWire({ entity: '' }), /entity: must be a lower_snake_case name/],
    ['no id range', jobRequestsTopic, jobRequestWire({ entityIds: null }), /entityIds: is required/],
    ['attempt 0', jobRequestsTopic, jobRequestWire({ attempt: 0 }), /attempt: must be >= 1/],
    ['a failure without an error', jobProgressTopic, jobProgressWire({ state: 'JOB_STATE_FAILED' }), /error: must be set exactly when state is FAILED/],
    ['an error without a failure', jobProgressTopic, jobProgressWire({ error: 'x' }), /error: must be set exactly/],
    ['a row count beyond 2^53', jobProgressTopic, jobProgressWire({ rowsDone: '9007199254740993' }), /rowsDone: must be a non-negative integer below 2\^53/],
    ['more shards done than planned', jobProgressTopic, jobProgressWire({ shardsDone: 5 }), /shardsDone: must be at most shardsTotal \(4\)/],
    ['a shard beyond the plan', jobProgressTopic, jobProgressWire({ shard: { index: 4, attempt: 1, state: 'SHARD_STATE_DONE' } }), /shard\.index: must be below shardsTotal \(4\)/],
    ['a shard without a state', jobProgressTopic, jobProgressWire({ shard: { index: 1, attempt: 1 } }), /shard\.state: must be one of PENDING, RUNNING, DONE, FAILED/],
  ])('decode rejects %s, naming the field', (_, topic, bytes, message) => {
    expect(invalid(topic, () => topic.decode(bytes)).message).toMatch(message);
  });

  it.each<[string, Topic<unknown>, () => unknown, RegExp]>([
    ['an entity id beyond int64', featureUpdatesTopic, () => featureUpdatesTopic.encode({ ...update, entityIds: ['9223372036854775808'] }), /entityIds\.0: must be a positive integer/],
    ['a negative LSN', featureUpdatesTopic, () => featureUpdatesTopic.encode({ ...update, sourceLsn: -1n }), /sourceLsn: -1 is not an unsigned 64-bit integer/],
    ['an invalid Date', featureUpdatesTopic, () => featureUpdatesTopic.encode({ ...update, eventTime: new Date(NaN) }), /eventTime: Invalid Date is not a valid Date/],
    ['a fractional shard index', jobRequestsTopic, () => jobRequestsTopic.encode({ ...request, shard: { ...request.shard, index: 1.5 } }), /shard\.index: 1\.5 is not a 32-bit integer/],
    ['attempt 0', jobRequestsTopic, () => jobRequestsTopic.encode({ ...request, attempt: 0 }), /attempt: must be >= 1/],
    ['no feature views', jobRequestsTopic, () => jobRequestsTopic.encode({ ...request, featureViews: [] }), /featureViews: must name at least one/],
    ['a negative row count', jobProgressTopic, () => jobProgressTopic.encode({ ...progress, rowsDone: -1 }), /rowsDone: must be a non-negative integer/],
    ['a shard attempt 0', jobProgressTopic, () => jobProgressTopic.encode({ ...progress, shard: { index: 0, attempt: 0, state: 'RUNNING', rowsDone: 0 } }), /shard\.attempt: must be >= 1/],
    ['an unsafe row count', jobProgressTopic, () => jobProgressTopic.encode({ ...progress, rowsDone: 2 ** 53 }), /rowsDone: 9007199254740992 is not an integer below 2\^53/],
  ])('encode refuses %s, so that no producer publishes a poison message', (_, topic, act, message) => {
    expect(invalid(topic, act).message).toMatch(message);
  });
});

function jobRequestWire(overrides: Record<string, unknown>): Uint8Array {
  return wire('JobRequest', {
    jobId: 'j',
    kind: 'JOB_KIND_BACKFILL',
    entity: 'customer',
    featureViews: ['customer_exposure'],
    asOf: { seconds: 300 },
    shardIndex: 0,
    shardCount: 8,
    entityIds: { firstId: '1', lastId: '1000' },
    attempt: 1,
    ...overrides,
  });
}

function jobProgressWire(overrides: Record<string, unknown>): Uint8Array {
  return wire('JobProgress', { jobId: 'j', state: 'JOB_STATE_RUNNING', shardsTotal: 4, shardsDone: 1, reportTime: { seconds: 1 }, ...overrides });
}
