import { bnplCatalog } from '@bnpl/feature-definitions';
import type { JobSpec, ShardSpec } from '@bnpl/batch';
import { createTestDatabase, type TestDatabase } from '@bnpl/service-launchers';
import { SourceDatabase } from '../lib/source-database';
import { pgQuery } from '../feature-sql/postgres-source-feature-reader';
import { PostgresJobRepository } from './postgres-job.repository';
import { PostgresSourceStats } from './postgres-source-stats';
import { PostgresChangeLog } from '../replication/postgres-change-log';
import { Pool } from 'pg';

const SPEC: JobSpec = { kind: 'materialize', views: ['customer_profile', 'customer_exposure'], incremental: false, from: null, to: null, shardSize: 10 };
const AS_OF = new Date('2025-03-15T12:00:00Z');
const shard = (no: number, fromId: string, toId: string): ShardSpec => ({ no, entity: 'customer', views: SPEC.views, fromId, toId, asOf: AS_OF, changedSince: null, writeOnline: true, watermarkTo: AS_OF });
const LEASE = { heartbeatMs: 60_000 };

describe('PostgresJobRepository and PostgresSourceStats (real PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: SourceDatabase;
  let repo: PostgresJobRepository;
  let n = 0;
  const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

  beforeAll(async () => {
    pg = await createTestDatabase();
    db = new SourceDatabase({ type: 'postgres', url: pg.url });
    await db.start();
    repo = new PostgresJobRepository(db);
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  it('admits exactly the quota of jobs in flight out of concurrent submissions of one principal, and answers retries by their key', async () => {
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => repo.createJob(newId(), SPEC, undefined, { principal: 'quota-alice', maxInFlight: 4 })));
    const admitted = results.filter((r) => r.status === 'fulfilled');
    expect(admitted).toHaveLength(4);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ reason: 'JOB_QUOTA_EXCEEDED', retryAfterSeconds: 30 });
    expect((admitted[0] as PromiseFulfilledResult<{ principal: string }>).value.principal).toBe('quota-alice');
    // Another principal is not held; finished jobs leave room; a retry by key is answered with its job.
    await repo.createJob(newId(), SPEC, { key: 'quota-k', fingerprint: 'f' }, { principal: 'quota-bob', maxInFlight: 1 });
    const retried = await repo.createJob(newId(), SPEC, { key: 'quota-k', fingerprint: 'f' }, { principal: 'quota-bob', maxInFlight: 1 });
    expect(retried.principal).toBe('quota-bob');
    await expect(repo.createJob(newId(), SPEC, undefined, { principal: 'quota-bob', maxInFlight: 1 })).rejects.toMatchObject({ reason: 'JOB_QUOTA_EXCEEDED' });
    await repo.cancelJob(retried.id);
    expect((await repo.createJob(newId(), SPEC, undefined, { principal: 'quota-bob', maxInFlight: 1 })).state).toBe('pending');
    // Without an admission the job is the system's.
    expect((await repo.createJob(newId(), SPEC)).principal).toBe('system');
    for (const job of await repo.listJobs({ limit: 100 })) await repo.cancelJob(job.id);
  });

  it('fills the queue fairly: turns between principals, then between a principal\'s jobs, within the windows', async () => {
    for (const job of await repo.listJobs({ limit: 500 })) await repo.cancelJob(job.id);
    const plan = (count: number) => Array.from({ length: count }, (_, i) => shard(i, String(i * 10 + 1), String(i * 10 + 10)));
    const alice1 = await repo.createJob(newId(), SPEC, undefined, { principal: 'fair-alice' });
    await repo.planShards(alice1.id, plan(10));
    const alice2 = await repo.createJob(newId(), SPEC, undefined, { principal: 'fair-alice' });
    await repo.planShards(alice2.id, plan(10));
    // alice's two jobs take turns: 1, 2, 1, 2 ... within the room (5) and each job's window (3).
    const first = await repo.queueFairly({ perJob: 3, total: 5 });
    const count = (batches: Array<{ job: { id: string }; shards: unknown[] }>, id: string) => batches.find((b) => b.job.id === id)?.shards.length ?? 0;
    expect([count(first, alice1.id), count(first, alice2.id)]).toEqual([3, 2]);
    expect(await repo.queueFairly({ perJob: 3, total: 5 })).toEqual([]);
    // bob arrives while alice fills the queue: the next room goes to bob first.
    const bob = await repo.createJob(newId(), SPEC, undefined, { principal: 'fair-bob' });
    await repo.planShards(bob.id, plan(2));
    for (const s of first.flatMap((b) => b.shards).slice(0, 2)) await repo.startShard(s.jobId, s.no, LEASE);
    const next = await repo.queueFairly({ perJob: 3, total: 5 });
    expect(next.map((b) => [b.job.id, b.shards.map((s) => s.no)])).toEqual([[bob.id, [0, 1]]]);
    // Concurrent top-ups never overfill the room.
    for (const s of next.flatMap((b) => b.shards)) await repo.startShard(s.jobId, s.no, LEASE);
    const racing = await Promise.all([repo.queueFairly({ perJob: 3, total: 5 }), repo.queueFairly({ perJob: 3, total: 5 }), repo.queueFairly({ perJob: 3, total: 5 })]);
    expect(racing.flat().flatMap((b) => b.shards)).toHaveLength(2);
    for (const job of [alice1, alice2, bob]) await repo.cancelJob(job.id);
  });

  it('plans shards once, claims them, keeps checkpoints monotonic and succeeds the job with its last shard', async () => {
    const id = newId();
    expect(await repo.createJob(id, SPEC)).toMatchObject({ id, state: 'pending', spec: SPEC, shardsTotal: 0 });
    const planned = await repo.planShards(id, [shard(0, '1', '10'), shard(1, '11', '15')]);
    expect(planned?.map((s) => [s.no, s.fromId, s.toId, s.state])).toEqual([
      [0, '1', '10', 'pending'],
      [1, '11', '15', 'pending'],
    ]);
    // A redelivered planning message plans nothing new.
    expect((await repo.planShards(id, [shard(0, '1', '99')]))?.map((s) => s.toId)).toEqual(['10', '15']);
    expect(await repo.getJob(id)).toMatchObject({ state: 'running', shardsTotal: 2 });

    const first = await repo.startShard(id, 0, LEASE);
    expect(first).toMatchObject({ state: 'running', attempts: 1, checkpointId: null, asOf: AS_OF, views: SPEC.views, watermarkTo: AS_OF });
    expect(await repo.saveCheckpoint(id, 0, '5', 10)).toBe(true);
    expect(await repo.saveCheckpoint(id, 0, '3', 10)).toBe(true);
    // A duplicate message while the runner beats is turned away; after a crash (no heartbeat), resumed from the checkpoint.
    expect(await repo.startShard(id, 0, LEASE)).toBeNull();
    expect(await repo.heartbeat(id, 0)).toBe(true);
    expect(await repo.startShard(id, 0, { heartbeatMs: 0 })).toMatchObject({ attempts: 2, checkpointId: '5', rowsDone: 10 });
    expect(await repo.finishShard(id, 0, 20)).toMatchObject({ state: 'running', shardsDone: 1, rowsDone: 20 });
    expect(await repo.startShard(id, 0, LEASE)).toBeNull();
    await repo.startShard(id, 1, LEASE);
    expect(await repo.finishShard(id, 1, 8)).toMatchObject({ state: 'succeeded', shardsDone: 2, rowsDone: 28 });
    // Finishing again changes nothing.
    expect(await repo.finishShard(id, 1, 8)).toMatchObject({ state: 'succeeded', shardsDone: 2, rowsDone: 28 });
    expect(await repo.planShards(id, [])).toBeNull();
  });

  it('stops a cancelled job: checkpoints report it and no shard is claimed', async () => {
    const id = newId();
    await repo.createJob(id, SPEC);
    await repo.planShards(id, [shard(0, '1', '10'), shard(1, '11', '20')]);
    await repo.startShard(id, 0, LEASE);
    expect((await repo.cancelJob(id))?.state).toBe('cancelled');
    expect(await repo.saveCheckpoint(id, 0, '4', 4)).toBe(false);
    expect(await repo.startShard(id, 1, LEASE)).toBeNull();
    expect(await repo.cancelJob(newId())).toBeNull();
  });

  it('fails the job with the shard error, succeeds an empty plan at once, and lists newest first', async () => {
    const failed = newId();
    await repo.createJob(failed, SPEC);
    await repo.planShards(failed, [shard(0, '1', '10')]);
    await repo.startShard(failed, 0, LEASE);
    expect(await repo.failShard(failed, 0, 'boom')).toMatchObject({ state: 'failed', error: 'boom' });
    const empty = newId();
    await repo.createJob(empty, SPEC);
    expect(await repo.planShards(empty, [])).toEqual([]);
    expect((await repo.getJob(empty))?.state).toBe('succeeded');
    const listed = await repo.listJobs({ limit: 2 });
    expect(listed.map((j) => j.id)).toEqual([empty, failed]);
    expect((await repo.listJobs({ limit: 10, state: 'failed' })).map((j) => j.id)).toEqual([failed]);
  });

  it('moves watermarks forward only', async () => {
    expect(await repo.getWatermark('customer_profile')).toBeNull();
    await repo.setWatermark('customer_profile', AS_OF);
    await repo.setWatermark('customer_profile', new Date(AS_OF.getTime() - 1000));
    expect(await repo.getWatermark('customer_profile')).toEqual(AS_OF);
  });

  it('queues a window of shards at a time, and queues lost ones again: not started while the job is stuck, or running without a heartbeat', async () => {
    const id = newId();
    await repo.createJob(id, SPEC);
    await repo.planShards(id, [shard(0, '1', '10'), shard(1, '11', '20'), shard(2, '21', '30'), shard(3, '31', '40')]);
    expect((await repo.queueShards(id, 2)).map((s) => [s.no, s.deliveries])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(await repo.queueShards(id, 2)).toEqual([]);
    await repo.startShard(id, 0, LEASE);
    expect((await repo.queueShards(id, 2)).map((s) => s.no)).toEqual([2]);
    // Nothing is lost yet: the job moved a moment ago and its runner beats.
    expect(await repo.requeueLost({ pickupMs: 60_000, heartbeatMs: 60_000 })).toEqual([]);
    await db.query(`UPDATE feature_job_shards SET queued_at = queued_at - interval '10 minutes', progress_at = progress_at - interval '10 minutes', heartbeat_at = heartbeat_at - interval '10 minutes' WHERE job_id = $1`, [id]);
    const lost = await repo.requeueLost({ pickupMs: 60_000, heartbeatMs: 60_000 });
    expect(lost.map((l) => [l.job.id, l.shards.map((s) => [s.no, s.state, s.deliveries])])).toEqual([[id, [[0, 'running', 2], [1, 'pending', 2], [2, 'pending', 2]]]]);
    // Queued again once per lease, not every round, while nobody claims them.
    expect(await repo.requeueLost({ pickupMs: 60_000, heartbeatMs: 60_000 })).toEqual([]);
    // A failed run gives its shard back at once.
    await repo.startShard(id, 1, LEASE);
    await repo.releaseShard(id, 1, 'redis down');
    expect(await repo.startShard(id, 1, LEASE)).toMatchObject({ attempts: 2, error: 'redis down' });
    expect((await repo.runningJobs(10)).map((j) => j.id)).toContain(id);
    // It just moved (a shard started): not idle.
    expect((await repo.runningJobs(10, 60_000)).map((j) => j.id)).not.toContain(id);
  });

  it('fails a job without progress for too long, saying what it waited for', async () => {
    const id = newId();
    await repo.createJob(id, SPEC);
    await repo.planShards(id, [shard(0, '1', '10'), shard(1, '11', '20')]);
    await repo.queueShards(id, 8);
    expect(await repo.failStalled(60_000)).toEqual([]);
    await db.query(`UPDATE feature_jobs SET created_at = created_at - interval '2 hours' WHERE id = $1`, [id]);
    const [failed] = await repo.failStalled(3_600_000);
    expect(failed).toMatchObject({ id, state: 'failed', error: 'no progress for 3600 s: 2 shard(s) waiting to start (queued up to 1 times), 0 running without progress' });
    expect(await repo.queueShards(id, 8)).toEqual([]);
  });

  it('returns the job of a known idempotency key, and refuses the key for another request', async () => {
    const first = await repo.createJob(newId(), SPEC, { key: 'k-1', fingerprint: 'a' });
    expect(first.idempotencyKey).toBe('k-1');
    expect((await repo.createJob(newId(), SPEC, { key: 'k-1', fingerprint: 'a' })).id).toBe(first.id);
    await expect(repo.createJob(newId(), SPEC, { key: 'k-1', fingerprint: 'b' })).rejects.toMatchObject({ reason: 'IDEMPOTENCY_KEY_REUSED' });
    // Two at once: one job.
    const racing = await Promise.all([repo.createJob(newId(), SPEC, { key: 'k-2', fingerprint: 'a' }), repo.createJob(newId(), SPEC, { key: 'k-2', fingerprint: 'a' })]);
    expect(racing[0].id).toBe(racing[1].id);
    expect((await repo.listJobs({ limit: 10, idempotencyKey: 'k-2' })).map((j) => j.id)).toEqual([racing[0].id]);
  });

  it('cuts shard ranges over the ids that exist, and reads the change log', async () => {
    const pool = new Pool({ connectionString: pg.url, max: 2 });
    try {
      const stats = new PostgresSourceStats(bnplCatalog, pgQuery(pool));
      expect(await stats.idRanges('customer', 10)).toEqual([]);
      // 25 customers with ids up to 5.9 M.
      await pool.query(`INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
        SELECT c * c * 9441, 'e', 'n', 'DE', 'EUR', 1, 1000, '2020-01-01Z', '2020-01-01Z' FROM generate_series(1, 25) c`);
      const ranges = await stats.idRanges('customer', 10);
      expect(ranges).toEqual([
        { fromId: '9441', toId: String(100 * 9441) },
        { fromId: String(121 * 9441), toId: String(400 * 9441) },
        { fromId: String(441 * 9441), toId: String(625 * 9441) },
      ]);

      const log = new PostgresChangeLog(pgQuery(pool));
      expect(await stats.changeLogCoverage()).toBeNull();
      await log.open(new Date(AS_OF.getTime() - 3_600_000), false);
      expect(await stats.changeLogCoverage()).toBeNull(); // nothing is known complete yet
      await log.record([
        { entity: 'customer', view: 'customer_profile', entityId: '7', changedAt: new Date(AS_OF.getTime() + 1) },
        { entity: 'customer', view: 'customer_exposure', entityId: '3', changedAt: new Date(AS_OF.getTime() - 1) },
        { entity: 'customer', view: 'customer_exposure', entityId: '3', changedAt: new Date(AS_OF.getTime() + 5) },
        { entity: 'customer', view: 'customer_exposure', entityId: '90', changedAt: new Date(AS_OF.getTime() + 9) },
        { entity: 'merchant', view: 'merchant_risk', entityId: '3', changedAt: new Date(AS_OF.getTime() + 9) },
      ]);
      // An older replay keeps the latest time.
      await log.record([{ entity: 'customer', view: 'customer_exposure', entityId: '3', changedAt: new Date(AS_OF.getTime() - 10_000) }]);
      await log.markComplete(AS_OF);
      await log.markComplete(new Date(AS_OF.getTime() - 5_000));
      expect(await stats.changeLogCoverage()).toEqual({ since: new Date(AS_OF.getTime() - 3_600_000), through: AS_OF });
      expect(await stats.changedEntityIds('customer', ['customer_profile', 'customer_exposure'], AS_OF, '1', '50')).toEqual(['3', '7']);
      expect(await stats.changedEntityIds('customer', ['customer_profile'], AS_OF, '1', '50')).toEqual(['7']);
      expect(await stats.changedIdRanges('customer', ['customer_profile', 'customer_exposure'], AS_OF, 2)).toEqual([
        { fromId: '3', toId: '7' },
        { fromId: '90', toId: '90' },
      ]);
      // A gap (a new slot): the log is complete only from then on, and not yet known complete.
      await log.open(new Date(AS_OF.getTime() + 60_000), true);
      expect(await stats.changeLogCoverage()).toBeNull();
      await log.markComplete(new Date(AS_OF.getTime() + 120_000));
      expect(await stats.changeLogCoverage()).toEqual({ since: new Date(AS_OF.getTime() + 60_000), through: new Date(AS_OF.getTime() + 120_000) });
    } finally {
      await pool.end();
    }
  });
});
