import type { Job, Shard } from '@bnpl/batch';
import type { MessagePublisher } from './message-publisher.port';
import type { Topic } from './topics/topic';
import { jobProgressTopic } from './topics/job-progress.topic';
import { jobRequestsTopic } from './topics/job-requests.topic';
import { MessagingJobQueue } from './messaging-job-queue';

const AS_OF = new Date('2025-03-15T12:00:00Z');
const job = (over: Partial<Job['spec']> = {}, state: Job['state'] = 'running'): Job => ({
  id: '00000000-0000-4000-8000-000000000001',
  idempotencyKey: null,
  principal: 'anonymous',
  spec: { kind: 'materialize', views: ['customer_profile'], incremental: false, from: null, to: null, shardSize: 10, ...over },
  state,
  shardsTotal: 3,
  shardsDone: 1,
  rowsDone: 40,
  error: state === 'failed' ? 'boom' : null,
  createdAt: AS_OF,
  updatedAt: AS_OF,
  finishedAt: null,
});
const shard: Shard = { jobId: 'x', no: 1, entity: 'customer', views: ['customer_profile'], fromId: '11', toId: '20', asOf: AS_OF, changedSince: null, writeOnline: true, watermarkTo: null, state: 'pending', checkpointId: null, rowsDone: 0, attempts: 0, error: null, queuedAt: AS_OF, deliveries: 1, heartbeatAt: null, progressAt: null };

function capture() {
  const sent: Array<{ topic: string; payload: unknown }> = [];
  const publisher: MessagePublisher = {
    publish: async <T>(topic: Topic<T>, payload: T) => {
      // What a real broker would carry: encoded, then decoded by the consumer.
      sent.push({ topic: topic.name, payload: topic.decode(topic.encode(payload)) });
      return String(sent.length);
    },
  };
  return { sent, queue: new MessagingJobQueue(publisher) };
}

describe('MessagingJobQueue', () => {
  it('publishes one job request per shard with its entity, inclusive id range and as-of instant', async () => {
    const { sent, queue } = capture();
    await queue.requestShard(job(), shard);
    expect(sent).toEqual([
      {
        topic: jobRequestsTopic.name,
        payload: expect.objectContaining({ jobId: job().id, kind: 'MATERIALIZE_FULL', entity: 'customer', featureViews: ['customer_profile'], asOf: AS_OF, shard: { index: 1, count: 3, firstId: '11', lastId: '20' }, attempt: 1 }),
      },
    ]);
    expect(sent[0].payload).not.toHaveProperty('timeRange');
  });

  it('carries the changed-since instant of an incremental shard and the days of a backfill', async () => {
    const { sent, queue } = capture();
    const since = new Date('2025-03-14T00:00:00Z');
    await queue.requestShard(job({ incremental: true }), { ...shard, changedSince: since });
    await queue.requestShard(job({ kind: 'backfill', from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-03-02T00:00:00Z') }), { ...shard, writeOnline: false });
    expect(sent[0].payload).toMatchObject({ kind: 'MATERIALIZE_INCREMENTAL', timeRange: { start: since, end: AS_OF } });
    expect(sent[1].payload).toMatchObject({ kind: 'BACKFILL', timeRange: { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-03T00:00:00Z') } });
  });

  it('reports job-level progress, with the error of a failed job', async () => {
    const { sent, queue } = capture();
    await queue.reportProgress(job({}, 'failed'));
    expect(sent).toEqual([{ topic: jobProgressTopic.name, payload: expect.objectContaining({ state: 'FAILED', shardsTotal: 3, shardsDone: 1, rowsDone: 40, error: 'boom' }) }]);
  });
});
