import { bnplCatalog } from '@bnpl/feature-definitions';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { RedisOnlineStore } from '@bnpl/online-store-redis';
import { getJson, seedSyntheticSource, startTestStack, waitFor, waitForJob, type JobAnswer, type StartedService, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 1_200;
const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);

/**
 * Jobs end to end: submitted over REST, shards published on the Pub/Sub emulator, run by two
 * batch-processor instances sharing the subscription; one is killed (SIGKILL) mid-job. Redis must end up
 * holding exactly what the source SQL computes, for every customer.
 */
describe('jobs over Pub/Sub with two batch-processors (real PostgreSQL, Redis, Pub/Sub emulator)', () => {
  let stack: TestStack;
  const processors: StartedService[] = [];
  let api: string;
  let db: SourceDatabase;
  let store: RedisOnlineStore;

  const startProcessor = async () => {
    const p = await stack.startService('batch-processor', { BATCH_CHUNK_SIZE: '25', BATCH_CONCURRENCY: '1' });
    processors.push(p);
    return p;
  };
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const job = async (id: string) => (await getJson(`${api}/v1/jobs/${id}`)).body as JobAnswer;
  const finished = (id: string) => waitForJob(api, id);

  /** Every customer's stored views equal the source SQL's values as of the shard's instant. */
  const expectRedisToMatchSource = async (asOf: Date) => {
    const source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => String(i + 1));
    const stored = await store.read(ids.map((id) => ({ entity: 'customer', id })), customerViews);
    let compared = 0;
    for (const [v, view] of customerViews.entries()) {
      const expected = await source.readView(view, ids, asOf);
      ids.forEach((id, i) => {
        const row = stored[i][v];
        expect({ id, view, eventTime: row?.eventTime.toISOString() }).toEqual({ id, view, eventTime: asOf.toISOString() });
        const def = bnplCatalog.getView(view);
        const values = Object.fromEntries(def.features.map((f) => [f.name, row?.values[f.name] ?? null]));
        expect({ id, view, values }).toEqual({ id, view, values: expected[i] });
        compared++;
      });
    }
    return compared;
  };

  beforeAll(async () => {
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    db = new SourceDatabase({ type: 'postgres', url: stack.pg.url });
    await db.start();
    store = RedisOnlineStore.standalone(stack.redis.url, { catalog: bnplCatalog });
    api = (await stack.startService('rest-gateway')).url;
    await Promise.all([startProcessor(), startProcessor()]);
  });

  afterAll(async () => {
    store?.close();
    await db?.close();
    await stack?.stop();
  });

  it('rejects bad job requests before any work, naming the problem', async () => {
    for (const [body, status, named] of [
      [{ kind: 'materialize', views: ['customer_nope'] }, 400, /customer_nope/],
      [{ kind: 'backfill', from: '2025-03-10', to: '2025-03-01' }, 400, /reversed/],
      [{ kind: 'materialize', shard_size: 'big' }, 400, /shard_size/],
      [{ kind: 'materialize', surprise: true }, 400, /surprise/],
    ] as const) {
      const r = await post('/v1/jobs', body);
      expect({ status: r.status, detail: r.body.detail }).toEqual({ status, detail: expect.stringMatching(named) });
    }
    expect((await getJson(`${api}/v1/jobs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await getJson(`${api}/v1/jobs/not-a-uuid`)).status).toBe(400);
    expect(((await getJson(`${api}/v1/jobs`)).body as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('materializes every customer across both instances, and Redis equals the source', async () => {
    const submitted = await post('/v1/jobs', { kind: 'materialize', views: customerViews, shard_size: 100 });
    expect(submitted.status).toBe(202);
    const id = (submitted.body.job as { id: string }).id;
    const done = await finished(id);
    expect(done.job).toMatchObject({ state: 'succeeded', shards_total: 12, shards_done: 12, rows_done: CUSTOMERS * customerViews.length });
    expect(await expectRedisToMatchSource(new Date(done.shards[0].as_of))).toBe(CUSTOMERS * customerViews.length);
  });

  it('loses and duplicates nothing when the batch-processors are killed mid-job', async () => {
    await store.delete(Array.from({ length: CUSTOMERS }, (_, i) => ({ entity: 'customer', id: String(i + 1) })));
    const submitted = await post('/v1/jobs', { kind: 'materialize', views: customerViews, shard_size: 300 });
    const id = (submitted.body.job as { id: string }).id;
    // SIGKILL every instance as soon as a shard is past a checkpoint: whichever runs it dies mid-shard.
    await waitFor('a checkpoint', async () => (await job(id)).shards.some((s) => s.state === 'running' && s.checkpoint_id !== null), 30_000, 10);
    for (const p of processors.splice(0)) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
    const interrupted = await job(id);
    expect(interrupted.job.state).toBe('running');
    // A new instance gets the unacknowledged shards once their ack deadline passes, and resumes them.
    await startProcessor();
    const done = await finished(id);
    expect(done.job).toMatchObject({ state: 'succeeded', shards_done: 4, rows_done: CUSTOMERS * customerViews.length });
    expect(await expectRedisToMatchSource(new Date(done.shards[0].as_of))).toBe(CUSTOMERS * customerViews.length);
    const resumed = done.shards.filter((s) => s.attempts > 1);
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('cancels a job: its shards stop at the next checkpoint', async () => {
    const submitted = await post('/v1/jobs', { kind: 'materialize', views: customerViews, shard_size: 1200 });
    const id = (submitted.body.job as { id: string }).id;
    const cancelled = await post(`/v1/jobs/${id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job).toMatchObject({ id, state: 'cancelled' });
    const after = await finished(id);
    expect(after.job.state).toBe('cancelled');
    expect(after.shards[0].state).not.toBe('done');
  });

  it('answers a retried submission with the same Idempotency-Key with the same job, and refuses the key for another request', async () => {
    const submit = async (body: unknown, key: string) => {
      const r = await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as { job?: { id: string; idempotency_key: string | null }; detail?: string } };
    };
    const request = { kind: 'materialize', views: ['customer_profile'], shard_size: 600 };
    const first = await submit(request, 'retry-me-1');
    const retry = await submit(request, 'retry-me-1');
    expect(first).toMatchObject({ status: 202, body: { job: { idempotency_key: 'retry-me-1' } } });
    expect(retry.status).toBe(202);
    expect(retry.body.job?.id).toBe(first.body.job?.id);
    const listed = (await getJson(`${api}/v1/jobs?idempotency_key=retry-me-1`)).body as { jobs: Array<{ id: string }> };
    expect(listed.jobs.map((j) => j.id)).toEqual([first.body.job?.id]);
    const other = await submit({ ...request, views: ['customer_exposure'] }, 'retry-me-1');
    expect(other.status).toBe(409);
    expect(other.body.detail).toMatch(/already names job .* submitted with another request/);
    expect((await submit(request, 'has spaces')).status).toBe(400);
    expect((await finished(first.body.job?.id ?? '')).job.state).toBe('succeeded');
  });
});
