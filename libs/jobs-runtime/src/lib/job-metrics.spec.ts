import { type Job, type JobQueue, type Shard } from '@bnpl/batch';
import { MetricsRegistry } from '@bnpl/platform';
import { meteredJobQueue } from './job-metrics';

const T0 = new Date('2026-11-30T10:00:00Z');
const job = (state: Job['state'], finishedAfterS?: number): Job =>
  ({
    id: 'j1',
    spec: { kind: 'materialize' },
    state,
    createdAt: T0,
    updatedAt: new Date(T0.getTime() + 1_000),
    finishedAt: finishedAfterS === undefined ? null : new Date(T0.getTime() + finishedAfterS * 1_000),
  }) as unknown as Job;

describe('meteredJobQueue', () => {
  it('passes everything through and counts shards queued, and each finished job once with its duration', async () => {
    const calls: string[] = [];
    const inner: JobQueue = { requestShard: async (j) => void calls.push(`shard ${j.id}`), reportProgress: async (j) => void calls.push(`progress ${j.state}`) };
    const registry = new MetricsRegistry('test');
    const queue = meteredJobQueue(inner, registry.meter);
    await queue.requestShard(job('running'), {} as Shard);
    await queue.requestShard(job('running'), {} as Shard);
    await queue.reportProgress(job('running'));
    await queue.reportProgress(job('succeeded', 42));
    // The same finished job reported again (a redelivered last shard) is not counted twice.
    await queue.reportProgress(job('succeeded', 42));
    expect(calls).toEqual(['shard j1', 'shard j1', 'progress running', 'progress succeeded', 'progress succeeded']);
    const text = await registry.render();
    expect(text).toMatch(/^bnpl_batch_shards_queued_total\{kind="materialize"\} 2$/m);
    expect(text).toMatch(/^bnpl_batch_jobs_finished_total\{kind="materialize",state="succeeded"\} 1$/m);
    expect(text).toMatch(/^bnpl_batch_job_duration_seconds_sum\{kind="materialize",state="succeeded"\} 42$/m);
    expect(text).toMatch(/^bnpl_batch_job_duration_seconds_bucket\{kind="materialize",state="succeeded",le="60"\} 1$/m);
    await registry.shutdown();
  });
});
