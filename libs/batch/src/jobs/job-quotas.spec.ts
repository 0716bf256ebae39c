import { bnplCatalog, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryJobRepository } from '../testing/in-memory-job-repository';
import { JobFileRefusedError, JobQuotaExceededError } from './invalid-job-request.error';
import type { JobFiles, JobQueue, SourceStats, TrainingSetBuilder } from './job-ports';
import type { TrainingSetSpec } from './job.model';
import { JobService, trainingSetErrorMessage } from './job.service';

const NOW = new Date('2025-03-15T12:00:00Z');

/** A service over the in-memory repository whose source has `customers` customers (no merchants). */
function setup(options: { customers?: number; perJob?: number; total?: number; maxInFlight?: number; minShardSize?: number; files?: JobFiles; trainingSets?: TrainingSetBuilder } = {}) {
  const repository = new InMemoryJobRepository(() => NOW);
  /** Shard messages in the order the queue got them (the broker's FIFO). */
  const published: Array<{ jobId: string; no: number }> = [];
  const queue: JobQueue = { requestShard: async (job, shard) => void published.push({ jobId: job.id, no: shard.no }), reportProgress: async () => undefined };
  const count = options.customers ?? 100;
  const stats: SourceStats = {
    idRanges: async (entity, size) => {
      const ids = entity === 'customer' ? count : 0;
      const out: Array<{ fromId: string; toId: string }> = [];
      for (let i = 1; i <= ids; i += size) out.push({ fromId: String(i), toId: String(Math.min(i + size - 1, ids)) });
      return out;
    },
    changeLogCoverage: async () => null,
    changedIdRanges: async () => [],
    changedEntityIds: async () => [],
  };
  const source: SourceFeatureReader = { readView: async (_v, ids) => ids.map(() => ({})), readViewRange: async () => [] };
  let n = 0;
  const jobs = new JobService(
    { catalog: bnplCatalog, repository, queue, stats, source, ...(options.files ? { files: options.files } : {}), ...(options.trainingSets ? { trainingSets: options.trainingSets } : {}) },
    {
      clock: () => NOW,
      newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      queuedShardsPerJob: options.perJob ?? 8,
      queuedShardsTotal: options.total ?? 32,
      ...(options.maxInFlight !== undefined ? { maxJobsInFlightPerPrincipal: options.maxInFlight } : {}),
      ...(options.minShardSize !== undefined ? { minShardSize: options.minShardSize } : {}),
    },
  );
  /** A batch-processor taking the oldest message: starts its shard (which tops the queue up) and finishes it. */
  const runNext = async () => {
    const message = published.shift();
    if (!message) return null;
    const shard = await repository.startShard(message.jobId, message.no, { heartbeatMs: 30_000 });
    if (!shard) return message;
    await jobs.queueNext();
    await repository.finishShard(message.jobId, message.no, 1);
    return message;
  };
  return { jobs, repository, published, runNext };
}

const materialize = (shardSize: number) => ({ kind: 'materialize', views: ['customer_profile'], shardSize });

describe('minimum shard size', () => {
  it('refuses a smaller shard with a 400 naming the bound, and accepts the bound', async () => {
    const { jobs, repository } = setup({ minShardSize: 1_000, customers: 3_000 });
    await expect(jobs.submit(materialize(1), { principal: 'alice' })).rejects.toMatchObject({ reason: 'INVALID_JOB_REQUEST', message: expect.stringMatching(/"shard_size" must be an integer from 1000 to .*got 1$/) });
    await expect(jobs.submit(materialize(999))).rejects.toMatchObject({ reason: 'INVALID_JOB_REQUEST' });
    expect(repository.jobs.size).toBe(0);
    expect((await jobs.submit(materialize(1_000))).shardsTotal).toBe(3);
  });
});

describe('jobs in flight per principal', () => {
  it('admits up to the quota, then answers RESOURCE_EXHAUSTED with a retry hint; others and finished jobs do not count', async () => {
    const { jobs } = setup({ maxInFlight: 2 });
    const first = await jobs.submit(materialize(50), { principal: 'alice', idempotencyKey: 'a-1' });
    await jobs.submit(materialize(50), { principal: 'alice' });
    const refused = jobs.submit(materialize(50), { principal: 'alice' });
    await expect(refused).rejects.toBeInstanceOf(JobQuotaExceededError);
    await expect(refused).rejects.toMatchObject({ kind: 'RESOURCE_EXHAUSTED', reason: 'JOB_QUOTA_EXCEEDED', retryAfterSeconds: 30, message: expect.stringMatching(/at most 2 jobs in flight/) });
    // A retry of an admitted submission is answered with its job, quota or not.
    expect((await jobs.submit(materialize(50), { principal: 'alice', idempotencyKey: 'a-1' })).id).toBe(first.id);
    // Another principal, and the scheduler (no principal), are not held by alice's jobs.
    expect((await jobs.submit(materialize(50), { principal: 'bob' })).principal).toBe('bob');
    expect((await jobs.submit(materialize(50))).principal).toBe('system');
    // A finished job leaves room.
    await jobs.cancel(first.id);
    expect((await jobs.submit(materialize(50), { principal: 'alice' })).principal).toBe('alice');
  });
});

describe('fair scheduling', () => {
  it("interleaves principals: a new job's shards go ahead of a busy principal's backlog, instead of first in, first out", async () => {
    const { jobs, published, runNext } = setup({ perJob: 4, total: 8, customers: 100 });
    // alice floods: 6 jobs of 10 shards.
    for (let i = 0; i < 6; i++) await jobs.submit(materialize(10), { principal: 'alice' });
    expect(published).toHaveLength(8);
    for (let i = 0; i < 5; i++) await runNext();
    const bob = await jobs.submit(materialize(50), { principal: 'bob' });
    // bob's two shards run within the next few turns, while alice has 55 shards left.
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await runNext();
      order.push(m?.jobId === bob.id ? 'bob' : 'alice');
    }
    const bobTurns = order.flatMap((who, i) => (who === 'bob' ? [i] : []));
    expect(bobTurns).toHaveLength(2);
    // Each of bob's shards waits at most for what was already in the queue (8) plus a turn.
    expect(Math.max(...bobTurns)).toBeLessThanOrEqual(10);
  });

  it("interleaves one principal's jobs with each other, and never queues more than the windows allow", async () => {
    const { jobs, published, runNext, repository } = setup({ perJob: 3, total: 5, customers: 100 });
    const a = await jobs.submit(materialize(10), { principal: 'alice' });
    const b = await jobs.submit(materialize(10), { principal: 'alice' });
    // The first job took its window (3); the second got the rest of the room (2).
    expect(published.map((m) => m.jobId)).toEqual([a.id, a.id, a.id, b.id, b.id]);
    for (let i = 0; i < 10; i++) {
      await runNext();
      const waiting = [...repository.shards.values()].flat().filter((s) => s.state === 'pending' && s.queuedAt !== null);
      expect(waiting.length).toBeLessThanOrEqual(5);
      for (const id of [a.id, b.id]) expect(waiting.filter((s) => s.jobId === id).length).toBeLessThanOrEqual(3);
    }
    // Both progressed alike: turns alternate between the two jobs.
    const done = (id: string) => (repository.shards.get(id) ?? []).filter((s) => s.state === 'done').length;
    expect(Math.abs(done(a.id) - done(b.id))).toBeLessThanOrEqual(2);
  });
});

describe('training-set files', () => {
  const refusing: JobFiles = {
    input: async (field, path) => {
      if (path.startsWith('../')) throw new JobFileRefusedError(`"${field}" must not contain ".."`);
      return `/srv/data/job-files/${path}`;
    },
    output: async (field, path, overwrite) => {
      if (path === 'exists.csv' && !overwrite) throw new JobFileRefusedError(`"${field}" already exists`);
      return `/srv/data/job-files/${path}`;
    },
  };
  const request = (entityFile: string, outputFile: string, overwrite?: boolean) => ({ kind: 'historical', entityFile, outputFile, featureService: 'credit_decision_v1', ...(overwrite === undefined ? {} : { overwrite }) });

  it('checks the paths at submission: nothing is recorded for a refused one; an existing output needs overwrite', async () => {
    const { jobs, repository } = setup({ files: refusing });
    await expect(jobs.submit(request('../etc/passwd.csv', 'out.csv'))).rejects.toMatchObject({ reason: 'JOB_FILE_REFUSED' });
    await expect(jobs.submit(request('rows.csv', 'exists.csv'))).rejects.toMatchObject({ reason: 'JOB_FILE_REFUSED', message: expect.stringMatching(/already exists/) });
    expect(repository.jobs.size).toBe(0);
    const job = await jobs.submit(request('rows.csv', 'exists.csv', true));
    expect(job.spec.trainingSet).toMatchObject({ entityFile: 'rows.csv', outputFile: 'exists.csv', overwrite: true });
  });

  it('runs on the resolved paths and reports a failure without host paths or anything read from the file', async () => {
    const built: TrainingSetSpec[] = [];
    const trainingSets: TrainingSetBuilder = {
      build: async (spec) => {
        built.push(spec);
        const error = new Error(`Entity table ${spec.entityFile} has no column customer_id (columns: name, email, secret_column)`);
        (error as { reason?: string }).reason = 'INVALID_ENTITY_TABLE';
        throw error;
      },
    };
    const { jobs, repository, published } = setup({ files: refusing, trainingSets });
    const job = await jobs.submit(request('in/rows.csv', 'out/set.parquet'));
    expect(await jobs.runShard(job.id, published[0].no)).toBe('failed');
    expect(built[0]).toMatchObject({ entityFile: '/srv/data/job-files/in/rows.csv', outputFile: '/srv/data/job-files/out/set.parquet' });
    const error = (await repository.getJob(job.id))?.error ?? '';
    expect(error).toBe('Entity table in/rows.csv has no column customer_id');
    expect(error).not.toMatch(/srv|secret_column|email/);
  });
});

describe('trainingSetErrorMessage', () => {
  const asked = { entityFile: 'rows.csv', outputFile: 'set.csv', outputFormat: 'csv', features: null, featureService: 'credit_decision_v1' } as const;
  const resolved = { ...asked, entityFile: '/host/root/rows.csv', outputFile: '/host/root/set.csv' };
  it.each([
    ['Entity row 3: customer_id "x-secret" is not a positive integer', 'Entity row 3: customer_id is not a positive integer'],
    ["Entity table /host/root/rows.csv cannot be read: Invalid Input Error: CSV Error on Line: 2\nOriginal Line: root:x:0:0:root", 'Entity table rows.csv cannot be read (not a CSV file with a header row, or a Parquet file)'],
    ["Offline store (duckdb) failed: writing /host/root/set.csv: Conversion Error: Could not convert string 'hunter2' to INT64", 'Offline store (duckdb) failed: writing set.csv'],
    ['Entity rows 4 and 7 have the same customer_id, event_timestamp: each (ids, timestamp) may appear once', 'Entity rows 4 and 7 have the same customer_id, event_timestamp: each (ids, timestamp) may appear once'],
  ])('%s', (message, expected) => {
    expect(trainingSetErrorMessage(new Error(message), asked, resolved)).toBe(expected);
  });
});
