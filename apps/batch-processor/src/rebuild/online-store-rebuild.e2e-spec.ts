import { bnplCatalog } from '@bnpl/feature-definitions';
import { createOnlineStore } from '@bnpl/online-store-nest';
import { checkParity } from '@bnpl/parity';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { getJson, runSql, seedSyntheticSource, startTestStack, waitFor, type StartedService, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 150;

const counter = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);

/**
 * Redis restarted without its data (no persistence here, as after a flush or a failover to an empty
 * replica) while batch-processor runs: the loss is noticed from the missing generation marker and one
 * full materialization rebuilds the store, visibly (a log line, a job, metrics); afterwards the store
 * equals the batch SQL for every customer and merchant (parity: zero mismatches, nothing missing).
 */
describe('batch-processor rebuilds an online store that lost its data (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  let batch: StartedService;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    batch = await stack.startService('batch-processor', { LOG_LEVEL: 'log' });
  });

  afterAll(() => stack?.stop());

  const generation = async () => (await runSql(stack.pg.url, 'SELECT generation::int AS generation, rebuild_job_id FROM online_store_generation'))[0] as { generation: number; rebuild_job_id: string | null } | undefined;
  const metrics = async () => (await getJson(`${batch.url}/metrics`)).body as string;

  async function parity(entity: 'customer' | 'merchant', toId: number) {
    const db = new SourceDatabase({ type: 'postgres', url: stack.pg.url, poolSize: 2 });
    await db.start();
    const online = createOnlineStore({ type: 'redis', url: stack.redis.url }, bnplCatalog);
    try {
      await waitFor('a connection to Redis', () => online.ping().then(() => true, () => false));
      const source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
      return await checkParity({ catalog: bnplCatalog, source, online }, { entity, fromId: '1', toId: String(toId) });
    } finally {
      await online.close();
      await db.close();
    }
  }

  it('records the first population without a job', async () => {
    await waitFor('generation 1 to be recorded', async () => (await generation())?.generation === 1);
    // The line follows the generation's commit: the process's output may reach the test a moment later.
    await waitFor('the first population to be logged', async () => batch.output().includes('online store generation 1 recorded (first population: nothing to rebuild)'));
    expect((await runSql(stack.pg.url, 'SELECT count(*)::int AS n FROM feature_jobs'))[0]).toEqual({ n: 0 });
  });

  it('rebuilds once, visibly, after Redis comes back empty; parity is zero after', async () => {
    await stack.redis.kill();
    await stack.startRedisAgain();
    const rebuilt = await waitFor('a rebuild job', async () => {
      const g = await generation();
      return g?.generation === 2 && g.rebuild_job_id ? g.rebuild_job_id : undefined;
    }, 30_000);
    await waitFor('the rebuild to be logged', async () => batch.output().includes(`online store rebuild started: job ${rebuilt}`));
    expect(batch.output()).toMatch(/online store lost its data .*rebuilding it as generation 2 from PostgreSQL/);
    await waitFor('the rebuild job to succeed', async () => {
      const [job] = await runSql(stack.pg.url, `SELECT state FROM feature_jobs WHERE id::text = '${rebuilt}'`);
      if (job?.['state'] === 'failed') throw new Error(`the rebuild job failed:\n${batch.output()}`);
      return job?.['state'] === 'succeeded';
    }, 60_000);
    const text = await metrics();
    expect(counter(text, 'bnpl_online_store_rebuilds_total')).toBe(1);
    expect(counter(text, 'bnpl_online_store_generation')).toBe(2);

    for (const [entity, count] of [['customer', CUSTOMERS], ['merchant', 1_000]] as const) {
      const report = await parity(entity, count);
      expect({ entity, mismatchedRows: report.mismatchedRows, missingOnline: report.missingOnline, samples: report.samples.slice(0, 2) }).toEqual({ entity, mismatchedRows: 0, missingOnline: 0, samples: [] });
      expect(report.rowsChecked).toBeGreaterThan(0);
    }

    // Once: later checks find the new marker and start nothing more.
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await runSql(stack.pg.url, 'SELECT count(*)::int AS n FROM feature_jobs'))[0]).toEqual({ n: 1 });
    expect(counter(await metrics(), 'bnpl_online_store_rebuilds_total')).toBe(1);
  });
});
