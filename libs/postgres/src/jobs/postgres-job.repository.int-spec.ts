import { bnplCatalog } from '@bnpl/feature-definitions';
import type { JobSpec, ShardSpec } from '@bnpl/batch';
import { createTestDatabase, type TestDatabase } from '@bnpl/service-launchers';
import { SourceDatabase } from '../lib/source-database';
import { pgQuery } from '../feature-sql/postgres-source-feature-reader';
import { PostgresJobRepository } from './postgres-job.repository';
import { PostgresSourceStats } from './postgres-source-stats';
import { Pool } from 'pg';

const SPEC: JobSpec = { kind: 'materialize', views: ['customer_profile', 'customer_exposure'], incremental: false, from: null, to: null, shardSize: 10 };
const AS_OF = new Date('2025-03-15T12:00:00Z');
const shard = (no: number, fromId: string, toId: string): ShardSpec => ({ no, entity: 'customer', views: SPEC.views, fromId, toId, asOf: AS_OF, changedSince: null, writeOnline: true });

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

    const first = await repo.startShard(id, 0);
    expect(first).toMatchObject({ state: 'running', attempts: 1, checkpointId: null, asOf: AS_OF, views: SPEC.views });
    expect(await repo.saveCheckpoint(id, 0, '5', 10)).toBe(true);
    expect(await repo.saveCheckpoint(id, 0, '3', 10)).toBe(true);
    // A redelivery after a crash resumes from the checkpoint.
    expect(await repo.startShard(id, 0)).toMatchObject({ attempts: 2, checkpointId: '5', rowsDone: 10 });
    expect(await repo.finishShard(id, 0, 20)).toMatchObject({ state: 'running', shardsDone: 1, rowsDone: 20 });
    expect(await repo.startShard(id, 0)).toBeNull();
    await repo.startShard(id, 1);
    expect(await repo.finishShard(id, 1, 8)).toMatchObject({ state: 'succeeded', shardsDone: 2, rowsDone: 28 });
    // Finishing again changes nothing.
    expect(await repo.finishShard(id, 1, 8)).toMatchObject({ state: 'succeeded', shardsDone: 2, rowsDone: 28 });
    expect(await repo.planShards(id, [])).toBeNull();
  });

  it('stops a cancelled job: checkpoints report it and no shard is claimed', async () => {
    const id = newId();
    await repo.createJob(id, SPEC);
    await repo.planShards(id, [shard(0, '1', '10'), shard(1, '11', '20')]);
    await repo.startShard(id, 0);
    expect((await repo.cancelJob(id))?.state).toBe('cancelled');
    expect(await repo.saveCheckpoint(id, 0, '4', 4)).toBe(false);
    expect(await repo.startShard(id, 1)).toBeNull();
    expect(await repo.cancelJob(newId())).toBeNull();
  });

  it('fails the job with the shard error, succeeds an empty plan at once, and lists newest first', async () => {
    const failed = newId();
    await repo.createJob(failed, SPEC);
    await repo.planShards(failed, [shard(0, '1', '10')]);
    await repo.startShard(failed, 0);
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

  it('finds the highest entity id and the entities changed since an instant in any table the views read', async () => {
    const pool = new Pool({ connectionString: pg.url, max: 2 });
    try {
      const stats = new PostgresSourceStats(bnplCatalog, pgQuery(pool));
      expect(await stats.maxEntityId('customer')).toBe('0');
      for (const sql of [
        `INSERT INTO merchants (id, name, category, country, created_at) VALUES (1, 'M', 'fashion', 'DE', '2020-01-01Z')`,
        `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
         SELECT c, 'e', 'n', 'DE', 'EUR', 1, 1000, '2020-01-01Z', CASE WHEN c = 3 THEN '2025-03-16Z'::timestamptz ELSE '2020-01-01Z' END FROM generate_series(1, 40) c`,
        `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
         VALUES (1, 7, 1, 100, 'EUR', 1, 'active', '2020-01-01Z', '2025-03-17Z'), (2, 30, 1, 100, 'EUR', 1, 'active', '2020-01-01Z', '2025-03-17Z'), (3, 8, 1, 100, 'EUR', 1, 'active', '2020-01-01Z', '2020-01-01Z')`,
      ])
        await pool.query(sql);
      expect(await stats.maxEntityId('customer')).toBe('40');
      expect(await stats.changedEntityIds('customer', ['customer_profile', 'customer_exposure'], AS_OF, '1', '20')).toEqual(['3', '7']);
      // customer_profile alone reads only the customers table.
      expect(await stats.changedEntityIds('customer', ['customer_profile'], AS_OF, '1', '40')).toEqual(['3']);
    } finally {
      await pool.end();
    }
  });
});
