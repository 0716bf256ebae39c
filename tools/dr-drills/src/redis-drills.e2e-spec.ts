import { runSql, seedSyntheticSource, startTestPostgres, waitFor, type TestPostgres } from '@bnpl/testing';
import { DrillStack, type JobAnswer } from './drill-stack';

const CUSTOMERS = 300;
const SAMPLE = [1, 7, 42, 150, 299];

/**
 * The Redis drills of the README's runbook ("Operations and disaster recovery"), run as an operator would:
 * real processes, the real CLI (`npm run fs`) and parity check (`npm run parity`). The full-size figure
 * (100,000 customers) comes from `tools/dr-drills/src/main.ts`.
 */
describe('disaster-recovery drills: Redis (real PostgreSQL, Redis with RDB, Pub/Sub emulator)', () => {
  let pg: TestPostgres;
  let stack: DrillStack;

  beforeAll(async () => {
    pg = await startTestPostgres();
    await seedSyntheticSource(pg.url, CUSTOMERS);
    stack = await DrillStack.start({ databaseUrl: pg.url, log: (m) => process.stdout.write(`[drill] ${m}\n`) });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await pg?.stop();
  });

  const newJobs = async (after: readonly JobAnswer[]) => (await stack.jobs()).filter((j) => !after.some((a) => a.id === j.id));

  it('Redis restarted from an RDB snapshot is made whole again by a full materialization (parity)', async () => {
    expect((await stack.fs(['materialize'])).code).toBe(0);
    // The batch-processor has marked the store's generation (so a restored snapshot is not an empty store).
    await waitFor('the generation marker', async () => stack.batchOutput().includes('online store generation 1 recorded'), 30_000, 200);
    expect(await stack.parity('customer')).toMatchObject({ code: 0, consistent: true, entitiesChecked: CUSTOMERS });
    await stack.snapshot();

    // After the snapshot, changes reach Redis (here a job; in production the stream and the hourly job).
    await runSql(pg.url, 'UPDATE customers SET credit_limit_minor = credit_limit_minor + 100000, updated_at = now() WHERE id <= 25');
    expect((await stack.fs(['materialize', '--views', 'customer_exposure'])).code).toBe(0);
    expect(await stack.parity('customer')).toMatchObject({ code: 0, consistent: true });

    // The crash: Redis comes back from its snapshot, without the 25 changed exposures.
    await stack.crashRedis();
    await stack.restartRedis('snapshot');
    const jobsAtRestore = await stack.jobs();
    expect(await stack.parity('customer')).toMatchObject({ code: 1, consistent: false, mismatchedRows: 25, missingOnline: 0 });
    // Nothing repairs it by itself: the store is not empty (its generation marker came back with it).
    expect(await newJobs(jobsAtRestore)).toEqual([]);

    // The runbook: a full materialization, then the parity check.
    const repair = await stack.fs(['materialize']);
    expect(repair.code).toBe(0);
    expect(await stack.parity('customer')).toMatchObject({ code: 0, consistent: true, mismatchedRows: 0, missingOnline: 0, entitiesChecked: CUSTOMERS });
    expect(await stack.parity('merchant')).toMatchObject({ code: 0, consistent: true, mismatchedRows: 0 });
  }, 300_000);

  it('an empty Redis is rebuilt by a full materialization, and reads stay correct meanwhile (parity)', async () => {
    const before = await Promise.all(SAMPLE.map((id) => stack.readCustomer(id)));
    expect(before.map((r) => r.status)).toEqual(SAMPLE.map(() => 200));
    const jobsBefore = await stack.jobs();

    await stack.crashRedis();
    const lostAt = Date.now();
    await stack.restartRedis('empty');
    // The batch-processor notices the empty store and submits the full materialization itself; until it is
    // done, reads are served from PostgreSQL: every answer equals the one before the loss.
    const answersDuring: Array<{ id: number; same: boolean; status: number }> = [];
    const rebuild = await waitFor(
      'the rebuild job to succeed',
      async () => {
        for (const [i, id] of SAMPLE.entries()) {
          const now = await stack.readCustomer(id);
          answersDuring.push({ id, status: now.status, same: JSON.stringify(now.values) === JSON.stringify(before[i].values) });
        }
        const [job] = await newJobs(jobsBefore);
        return job?.state === 'succeeded' ? job : undefined;
      },
      120_000,
      100,
    );
    const seconds = (Date.parse(rebuild.finished_at ?? '') - lostAt) / 1000;
    process.stdout.write(`[drill] ${CUSTOMERS} customers: store lost -> rebuilt in ${seconds.toFixed(1)} s (job ${rebuild.id}, ${rebuild.rows_done} rows)\n`);
    expect(rebuild).toMatchObject({ kind: 'materialize', rows_done: expect.any(Number) });
    expect(answersDuring.filter((a) => !a.same || a.status !== 200)).toEqual([]);
    expect(answersDuring.length).toBeGreaterThan(0);

    expect(await stack.parity('customer')).toMatchObject({ code: 0, consistent: true, mismatchedRows: 0, missingOnline: 0, entitiesChecked: CUSTOMERS });
    expect(await stack.parity('merchant')).toMatchObject({ code: 0, consistent: true, missingOnline: 0 });
  }, 300_000);
});
