import { ValueType, bnplCatalog, type EntityFeatureRow, type FeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ObservedOnlineStore, OnlineStoreUnavailableError, type OnlineRow } from '@bnpl/online-store';
import { InMemoryJobRepository } from '../testing/in-memory-job-repository';
import type { JobQueue, SourceStats } from './job-ports';
import { JobService } from './job.service';

const NOW = new Date('2025-03-15T12:00:00Z');
const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);

/** A row that fits `view` (the online store checks), telling entities apart: its first integer feature is the id. */
function rowFor(view: string, id: string): FeatureRow {
  const feature = bnplCatalog.getView(view).features.find((f) => f.valueType === ValueType.INT64);
  return feature ? { [feature.name]: Number(id) } : {};
}

function setup(customers = 25, merchants = 4) {
  const repository = new InMemoryJobRepository();
  const messages: Array<{ jobId: string; no: number }> = [];
  let queueDown = false;
  const queue: JobQueue = {
    requestShard: async (job, shard) => {
      if (queueDown) throw new Error('pubsub down');
      messages.push({ jobId: job.id, no: shard.no });
    },
    reportProgress: async () => undefined,
  };
  const changed = new Set(['3', '17']);
  const stats: SourceStats = {
    maxEntityId: async (entity) => String(entity === 'customer' ? customers : merchants),
    changedEntityIds: async (_e, _v, _since, from, to) => [...changed].filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) <= BigInt(to)),
  };
  let failWritesFor: string | null = null;
  const source: SourceFeatureReader = {
    readView: async (view, ids) => ids.map((id) => rowFor(view, id)),
    readViewRange: async (view, from, to) => {
      const rows: EntityFeatureRow[] = [];
      for (let id = Number(from); id <= Number(to); id++) rows.push({ entityId: String(id), features: rowFor(view, String(id)) });
      return rows;
    },
  };
  const online = new ObservedOnlineStore({ catalog: bnplCatalog });
  // Redis failing while a chunk holding `failWritesFor` is written.
  online.writeError = (rows) => (failWritesFor && rows.some((r) => r.key.id === failWritesFor) ? new OnlineStoreUnavailableError(online.kind, 'redis down') : undefined);
  /** Rows of the writes the store accepted. */
  const written = (): OnlineRow[] => online.callsOf('write', 'fulfilled').flatMap((call) => call.rows);
  let n = 0;
  const service = new JobService({ catalog: bnplCatalog, repository, queue, stats, source, online }, { clock: () => NOW, newId: () => `job-${++n}`, chunkSize: 5, maxShardAttempts: 2 });
  /** Delivers queued messages until none is left (at least once: a handler error leaves its message queued). */
  const drain = async () => {
    for (let m = messages.shift(); m; m = messages.shift()) {
      try {
        await service.runShard(m.jobId, m.no);
      } catch {
        messages.push(m);
      }
    }
  };
  return { repository, messages, service, written, drain, failWrites: (id: string | null) => (failWritesFor = id), setQueueDown: (down: boolean) => (queueDown = down) };
}

describe('JobService', () => {
  it('materializes every view of every entity, sharded, and records watermarks', async () => {
    const { service, written, drain, repository } = setup();
    const job = await service.submit({ kind: 'materialize', shardSize: 10 });
    await drain();
    const { job: done, shards } = await service.get(job.id);
    expect(done).toMatchObject({ state: 'succeeded', shardsTotal: 4, shardsDone: 4, rowsDone: 25 * customerViews.length + 4 });
    expect(shards.map((s) => [s.entity, s.fromId, s.toId])).toEqual([
      ['customer', '1', '10'],
      ['customer', '11', '20'],
      ['customer', '21', '25'],
      ['merchant', '1', '4'],
    ]);
    expect(new Set(written().map((r) => `${r.view}:${r.key.id}`)).size).toBe(written().length);
    expect(await repository.getWatermark('customer_profile')).toEqual(NOW);
  });

  it('an incremental run computes only the entities changed since the watermark', async () => {
    const { service, written, drain, repository } = setup();
    for (const v of customerViews) await repository.setWatermark(v, new Date(NOW.getTime() - 3_600_000));
    await service.submit({ kind: 'materialize', incremental: true, views: customerViews, shardSize: 10 });
    await drain();
    expect([...new Set(written().map((r) => r.key.id))].sort()).toEqual(['17', '3']);
  });

  it('a failed shard is redelivered and resumes from its checkpoint; after the last attempt the job fails', async () => {
    const { service, written, drain, failWrites } = setup();
    failWrites('8');
    const job = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 10 });
    await drain();
    const { job: failed, shards } = await service.get(job.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/shard 0 failed 2 times.*redis down/);
    expect(shards[0]).toMatchObject({ state: 'failed', checkpointId: '5', attempts: 2 });
    // The second attempt resumed after id 5: ids 1..5 were written once.
    expect(written().filter((r) => r.key.id === '1')).toHaveLength(1);
  });

  it('a duplicate shard message after success does nothing', async () => {
    const { service, written, drain, messages } = setup();
    const job = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 100 });
    await drain();
    const before = written().length;
    messages.push({ jobId: job.id, no: 0 });
    await drain();
    expect(written()).toHaveLength(before);
    expect(await service.runShard(job.id, 0)).toBe('skipped');
  });

  it('a cancelled job stops at its next checkpoint', async () => {
    const { service, drain, repository } = setup(100);
    const job = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 100 });
    const save = repository.saveCheckpoint.bind(repository);
    repository.saveCheckpoint = async (...args) => {
      await repository.cancelJob(job.id);
      return save(...args);
    };
    expect(await service.runShard(job.id, 0)).toBe('cancelled');
    await drain();
    expect((await service.get(job.id)).job.state).toBe('cancelled');
  });

  it('fails the job when its shards cannot be queued, and says why', async () => {
    const { service, repository, setQueueDown } = setup();
    setQueueDown(true);
    await expect(service.submit({ kind: 'materialize' })).rejects.toThrow('pubsub down');
    const [job] = await repository.listJobs({ limit: 1 });
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('could not be queued: pubsub down') });
  });

  it('rejects bad requests before anything is recorded', async () => {
    const { service, repository, messages } = setup();
    await expect(service.submit({ kind: 'materialize', views: ['nope'] })).rejects.toMatchObject({ reason: 'UNKNOWN_FEATURE_VIEW' });
    await expect(service.submit({ kind: 'backfill', from: '2025-03-10', to: '2025-03-01' })).rejects.toThrow(/reversed/);
    await expect(service.submit({ kind: 'compact' })).rejects.toThrow(/Unknown job kind/);
    expect(repository.jobs.size).toBe(0);
    expect(messages).toHaveLength(0);
    await expect(service.get('missing')).rejects.toMatchObject({ reason: 'JOB_NOT_FOUND' });
  });
});
