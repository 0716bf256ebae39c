import { ValueType, bnplCatalog, type EntityFeatureRow, type FeatureRow, type PointInTimeSourceReader, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { ObservedOnlineStore, OnlineStoreUnavailableError, type OnlineRow } from '@bnpl/online-store';
import { InMemoryJobRepository } from '../testing/in-memory-job-repository';
import type { FeatureHistoryRow } from '../ports/feature-history-sink.port';
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
  const changed = ['3', '17'];
  /** Consecutive ranges of `size` ids out of `ids`, as the PostgreSQL adapter cuts them. */
  const rangesOf = (ids: readonly string[], size: number) => {
    const out: Array<{ fromId: string; toId: string }> = [];
    for (let i = 0; i < ids.length; i += size) out.push({ fromId: ids[i], toId: ids[Math.min(i + size, ids.length) - 1] });
    return out;
  };
  const idsOf = (entity: string) => Array.from({ length: entity === 'customer' ? customers : merchants }, (_, i) => String(i + 1));
  const stats: SourceStats = {
    idRanges: async (entity, size) => rangesOf(idsOf(entity), size),
    changeLogCoverage: async () => ({ since: new Date(0), through: NOW }),
    changedIdRanges: async (entity, _views, _since, size) => rangesOf(entity === 'customer' ? changed : [], size),
    changedEntityIds: async (_e, _v, _since, from, to) => changed.filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) <= BigInt(to)),
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
  /** The past as the point-in-time reader tells it: entities above 20 did not exist yet. */
  const pastReads: Array<{ view: string; at: Date }> = [];
  const pastSource: PointInTimeSourceReader = {
    readViewAt: async (view, ids, at) => (pastReads.push({ view, at }), ids.map((id) => (Number(id) <= 20 ? rowFor(view, id) : null))),
    readViewRangeAt: async (view, from, to, at) => {
      pastReads.push({ view, at });
      const rows: EntityFeatureRow[] = [];
      for (let id = Number(from); id <= Math.min(Number(to), 20); id++) rows.push({ entityId: String(id), features: rowFor(view, String(id)) });
      return rows;
    },
  };
  const history: Array<{ view: string; row: FeatureHistoryRow }> = [];
  const sink = { writeFeatureRows: async (view: string, rows: readonly FeatureHistoryRow[]) => void history.push(...rows.map((row) => ({ view, row }))) };
  let n = 0;
  let clock = NOW;
  const service = new JobService(
    { catalog: bnplCatalog, repository, queue, stats, source, pastSource, online, history: sink },
    { clock: () => clock, newId: () => `job-${++n}`, chunkSize: 5, maxShardAttempts: 2 },
  );
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
  return {
    repository,
    messages,
    service,
    written,
    drain,
    history,
    pastReads,
    setClock: (at: Date) => (clock = at),
    failWrites: (id: string | null) => (failWritesFor = id),
    setQueueDown: (down: boolean) => (queueDown = down),
  };
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

  it('an incremental run moves the watermarks to where the change log is complete, and runs in full for a view never materialized', async () => {
    const { service, written, drain, repository } = setup();
    for (const v of customerViews) await repository.setWatermark(v, new Date(NOW.getTime() - 3_600_000));
    await service.submit({ kind: 'materialize', incremental: true, views: customerViews, shardSize: 10 });
    await drain();
    expect(await repository.getWatermark('customer_profile')).toEqual(NOW);
    // A view never materialized: every entity.
    await service.submit({ kind: 'materialize', incremental: true, views: ['merchant_risk'], shardSize: 10 });
    await drain();
    expect(written().filter((r) => r.view === 'merchant_risk').map((r) => r.key.id)).toEqual(['1', '2', '3', '4']);
  });

  it('backfills from the point-in-time reader: history only, dated at the end of each day, no entity that did not exist yet', async () => {
    const { service, written, drain, history, pastReads } = setup();
    const job = await service.submit({ kind: 'backfill', views: ['customer_repayment'], from: '2025-03-12', to: '2025-03-13', shardSize: 10 });
    await drain();
    expect((await service.get(job.id)).job).toMatchObject({ state: 'succeeded', rowsDone: 40 });
    expect(written()).toEqual([]);
    expect(new Set(pastReads.map((r) => r.at.toISOString()))).toEqual(new Set(['2025-03-12T23:59:59.999Z', '2025-03-13T23:59:59.999Z']));
    expect(history).toHaveLength(40);
    expect(history.every(({ row }) => Number(row.entityId) <= 20 && row.eventTime.toISOString().endsWith('T23:59:59.999Z'))).toBe(true);
    // Views none of whose features have a past the source keeps are refused by name, or left out.
    await expect(service.submit({ kind: 'backfill', views: ['customer_exposure'], from: '2025-03-12', to: '2025-03-12' })).rejects.toThrow(/"customer_exposure" cannot be backfilled/);
    expect((await service.submit({ kind: 'backfill', from: '2025-03-12', to: '2025-03-12' })).spec.views).toEqual(['customer_profile', 'customer_repayment']);
  });

  it('dates a materialization\'s history when it read the source, not when the job was planned', async () => {
    const { service, drain, history, setClock } = setup();
    await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 100 });
    const read = new Date(NOW.getTime() + 90_000);
    setClock(read);
    await drain();
    expect(new Set(history.map(({ row }) => row.eventTime.toISOString()))).toEqual(new Set([read.toISOString()]));
  });

  it('returns the same job for a retried submission with the same idempotency key, and refuses the key for another request', async () => {
    const { service, repository, messages } = setup();
    const first = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 10 }, { idempotencyKey: 'cli-7f3a' });
    const retry = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 10 }, { idempotencyKey: 'cli-7f3a' });
    expect(retry.id).toBe(first.id);
    expect(repository.jobs.size).toBe(1);
    expect(messages).toHaveLength(3);
    expect((await service.list({ idempotencyKey: 'cli-7f3a' })).map((j) => j.id)).toEqual([first.id]);
    await expect(service.submit({ kind: 'materialize', views: ['customer_exposure'] }, { idempotencyKey: 'cli-7f3a' })).rejects.toMatchObject({ reason: 'IDEMPOTENCY_KEY_REUSED', kind: 'ALREADY_EXISTS' });
    await expect(service.submit({ kind: 'materialize' }, { idempotencyKey: 'has space' })).rejects.toThrow(/printable ASCII/);
    expect(repository.jobs.size).toBe(1);
  });

  it('queues a few shards at a time, the next as one starts, and never queues the rest of a cancelled job', async () => {
    const { service, messages } = setup(100);
    const job = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 5 });
    expect(job.shardsTotal).toBe(20);
    expect(messages.map((m) => m.no)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const next = messages.shift() as { jobId: string; no: number };
    await service.runShard(next.jobId, next.no);
    expect(messages.map((m) => m.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await service.cancel(job.id);
    for (let m = messages.shift(); m; m = messages.shift()) expect(await service.runShard(m.jobId, m.no)).toBe('skipped');
    expect(messages).toEqual([]);
  });

  it('turns away a duplicate message for a shard whose runner is alive, and lets one for a dead runner resume it', async () => {
    const { service, repository } = setup();
    const job = await service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 100 });
    // A runner claimed the shard and went quiet.
    expect(await repository.startShard(job.id, 0, { heartbeatMs: 60_000 })).toMatchObject({ attempts: 1 });
    expect(await service.runShard(job.id, 0)).toBe('skipped');
    const shard = (await repository.getShards(job.id))[0];
    repository.shards.set(job.id, [{ ...shard, heartbeatAt: new Date(Date.now() - 61_000) }]);
    expect(await service.runShard(job.id, 0)).toBe('done');
    expect((await service.get(job.id)).shards[0]).toMatchObject({ state: 'done', attempts: 2 });
  });
});
