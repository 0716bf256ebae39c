import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceDatabase } from '@bnpl/postgres';
import { makeTempDir } from '@bnpl/service-launchers';
import { createTestApiKey, seedSyntheticSource, startTestStack, waitFor, type JobAnswer, type StartedService, type TestApiKey, type TestStack } from '@bnpl/testing';

const CUSTOMERS = 3_000;

/**
 * Limits of the jobs API, end to end through rest-gateway's `POST /v1/jobs` (access control on, API keys
 * of three principals) and a batch-processor with a DuckDB offline store, on real PostgreSQL, Redis and
 * the Pub/Sub emulator:
 * - training-set files are confined to the job files root (`..`, absolute paths elsewhere, symbolic links
 *   leading out are refused at submission, alike whether the place outside exists; outputs are never
 *   replaced unless asked; a job's error never shows the entity file's header or a host path), and so is
 *   the decisions training set;
 * - a minimum shard size, a quota of jobs in flight per principal (429 with Retry-After, atomic under
 *   concurrent submissions; one anonymous principal with access control off), and fair scheduling: a
 *   principal's one-shard job runs ahead of another principal's backlog instead of after it.
 */
describe('job limits: confined training-set files, quotas and fair scheduling (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB)', () => {
  const dir = makeTempDir('bnpl-job-limits-');
  const root = join(dir.path, 'job-files');
  const outside = join(dir.path, 'outside');
  let stack: TestStack;
  let processor: StartedService;
  let api: string;
  let anonymousApi: string;
  let alice: TestApiKey;
  let bob: TestApiKey;
  let carol: TestApiKey;

  // The fair window is small so that what the queue holds, not the broker's order, decides who runs next.
  const jobsEnv = { JOB_FILES_ROOT: root, JOBS_MIN_SHARD_SIZE: '1000', JOBS_MAX_IN_FLIGHT_PER_PRINCIPAL: '6', JOB_QUEUED_SHARDS: '2', JOB_QUEUED_SHARDS_TOTAL: '2' };

  beforeAll(async () => {
    mkdirSync(join(root, 'in'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.csv'), 'customer_id,event_timestamp,password\n1,2025-01-01T00:00:00Z,hunter2\n');
    writeFileSync(join(root, 'existing.csv'), 'keep me\n');
    symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
    symlinkSync(join(outside, 'nothing-here.csv'), join(root, 'dangling.csv'));
    symlinkSync(outside, join(root, 'out-dir'));
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((owner) => createTestApiKey(stack.pg.url, { owner, scopes: ['jobs:write', 'jobs:read'] })));
    processor = await stack.startService('batch-processor', { ...jobsEnv, OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: join(dir.path, 'offline.duckdb'), BATCH_CHUNK_SIZE: '50', BATCH_CONCURRENCY: '1' });
    const [gateway, anonymous] = await Promise.all([
      stack.startService('rest-gateway', { ...jobsEnv, AUTH_MODE: 'on', DECISIONS_SERVICE_URL: processor.url }),
      stack.startService('rest-gateway', { ...jobsEnv, AUTH_MODE: 'off', JOBS_MAX_IN_FLIGHT_PER_PRINCIPAL: '1' }),
    ]);
    api = gateway.url;
    anonymousApi = anonymous.url;
  });

  afterAll(async () => {
    await stack?.stop();
    dir.remove();
  });

  const post = async (key: TestApiKey | null, path: string, body: unknown, base = api) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key?.headers ?? {}) }, body: JSON.stringify(body) });
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { job?: JobAnswer['job'] & { principal: string; training_set?: unknown }; detail?: string; reason?: string } & Record<string, unknown> };
  };
  const get = async (path: string, key: TestApiKey) => (await fetch(`${api}${path}`, { headers: key.headers })).json() as Promise<unknown>;
  const job = async (id: string) => (await get(`/v1/jobs/${id}`, alice)) as JobAnswer & { job: { training_set: unknown } };
  const finished = async (id: string) => {
    await waitFor(`job ${id} to finish`, async () => !['pending', 'running'].includes((await job(id)).job.state), 90_000, 50);
    return job(id);
  };
  const historical = (entity_file: string, output_file: string, extra: Record<string, unknown> = {}) => ({ kind: 'historical', entity_file, output_file, features: ['customer_profile:kyc_level'], ...extra });

  it('refuses training-set paths that leave the job files root at submission, alike whether the place outside exists, quoting only what was sent', async () => {
    const refusals: Array<[unknown, RegExp]> = [
      [historical('../outside/secret.csv', 'set.csv'), /"entity_file" must not contain "\.\."/],
      [historical('in/../../outside/secret.csv', 'set.csv'), /"entity_file" must not contain "\.\."/],
      [historical(join(outside, 'secret.csv'), 'set.csv'), /^"entity_file" is outside the job files root: give a path relative to it$/],
      [historical('link.csv', 'set.csv'), /^"entity_file" "link.csv" leads out of the job files root through a symbolic link$/],
      [historical('out-dir/secret.csv', 'set.csv'), /symbolic link/],
      [historical('in/rows.csv', '../outside/written.csv'), /"output_file" must not contain "\.\."/],
      [historical('in/rows.csv', join(outside, 'written.csv')), /"output_file" is outside the job files root/],
      [historical('in/rows.csv', 'out-dir/written.csv'), /symbolic link/],
    ];
    writeFileSync(join(root, 'in', 'rows.csv'), `customer_id,event_timestamp\n1,${new Date().toISOString()}\n`);
    for (const [body, detail] of refusals) {
      const r = await post(alice, '/v1/jobs', body);
      expect({ status: r.status, reason: r.body.reason, detail: r.body.detail }).toEqual({ status: 400, reason: 'JOB_FILE_REFUSED', detail: expect.stringMatching(detail) });
      expect(r.body.detail).not.toContain(dir.path);
    }
    // A place outside answers the same whether it exists or not: nothing is learned about the host.
    const existing = await post(alice, '/v1/jobs', historical(join(outside, 'secret.csv'), 'set.csv'));
    const missing = await post(alice, '/v1/jobs', historical(join(outside, 'no-such-file.csv'), 'set.csv'));
    expect(missing.body.detail).toBe(existing.body.detail);
    const link = await post(alice, '/v1/jobs', historical('link.csv', 'set.csv'));
    const dangling = await post(alice, '/v1/jobs', historical('dangling.csv', 'set.csv'));
    expect(dangling.body.detail).toBe(link.body.detail?.replace('link.csv', 'dangling.csv'));
    // Inside the root, a missing file is named as such.
    expect((await post(alice, '/v1/jobs', historical('in/none.csv', 'set.csv'))).body.detail).toBe('"entity_file" "in/none.csv" was not found under the job files root');
    // Never replaced unless asked.
    const exists = await post(alice, '/v1/jobs', historical('in/rows.csv', 'existing.csv'));
    expect({ status: exists.status, detail: exists.body.detail }).toEqual({ status: 400, detail: '"output_file" "existing.csv" already exists: ask with "overwrite": true to replace it' });
    expect(readFileSync(join(root, 'existing.csv'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(outside, 'written.csv'))).toBe(false);
    expect(((await get('/v1/jobs', alice)) as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('refuses a shard smaller than the minimum with a 400 naming it', async () => {
    const r = await post(alice, '/v1/jobs', { kind: 'materialize', shard_size: 999 });
    expect({ status: r.status, reason: r.body.reason }).toEqual({ status: 400, reason: 'INVALID_JOB_REQUEST' });
    expect(r.body.detail).toMatch(/"shard_size" must be an integer from 1000 to .* got 999/);
  });

  it("runs another principal's one-shard job ahead of a principal's backlog, instead of first in, first out", async () => {
    const backlog: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await post(alice, '/v1/jobs', { kind: 'materialize', views: ['customer_profile'], shard_size: 1_000 });
      expect(r.status).toBe(202);
      expect(r.body.job?.principal).toBe('alice');
      backlog.push(r.body.job?.id ?? '');
    }
    const small = await post(bob, '/v1/jobs', { kind: 'materialize', views: ['merchant_risk'], shard_size: 1_000 });
    expect(small.status).toBe(202);
    const done = await finished(small.body.job?.id ?? '');
    expect(done.job.state).toBe('succeeded');
    // alice's 18 shards were all queued before bob's one: first in, first out would have run them all first.
    const aliceDone = (await Promise.all(backlog.map(async (id) => (await job(id)).shards.filter((s) => s.state === 'done').length))).reduce((a, b) => a + b, 0);
    expect(aliceDone).toBeLessThanOrEqual(6);
    for (const id of backlog) expect((await finished(id)).job).toMatchObject({ state: 'succeeded', shards_done: 3 });
  });

  it('builds a training set under the root, never replaces it unless asked, and fails a bad entity file without echoing it', async () => {
    const built = await post(alice, '/v1/jobs', historical('in/rows.csv', 'sets/train.csv'));
    expect(built.status).toBe(202);
    expect(built.body.job?.training_set).toMatchObject({ entity_file: 'in/rows.csv', output_file: 'sets/train.csv', overwrite: false });
    expect((await finished(built.body.job?.id ?? '')).job).toMatchObject({ state: 'succeeded', rows_done: 1 });
    expect(readFileSync(join(root, 'sets', 'train.csv'), 'utf8')).toMatch(/customer_profile__kyc_level/);
    expect((await post(alice, '/v1/jobs', historical('in/rows.csv', 'sets/train.csv'))).status).toBe(400);
    const again = await post(alice, '/v1/jobs', historical('in/rows.csv', 'sets/train.csv', { overwrite: true }));
    expect(again.status).toBe(202);
    expect((await finished(again.body.job?.id ?? '')).job.state).toBe('succeeded');

    // An entity file without the join key: the job fails naming the column, not the file's header.
    writeFileSync(join(root, 'in', 'wrong.csv'), 'full_name,email_address,date_of_birth\nAda,ada@example.com,1815-12-10\n');
    const wrong = await post(alice, '/v1/jobs', historical('in/wrong.csv', 'sets/wrong.csv'));
    const failed = await finished(wrong.body.job?.id ?? '');
    expect(failed.job.state).toBe('failed');
    expect(failed.job.error).toMatch(/in\/wrong\.csv has no column (customer_id|event_timestamp)$/);
    for (const leaked of ['full_name', 'email_address', 'date_of_birth', 'ada@example.com', dir.path]) expect(failed.job.error).not.toContain(leaked);
  });

  it("confines the decisions training set's output too, and never replaces it unless asked", async () => {
    const day = new Date().toISOString().slice(0, 10);
    const body = (output_file: string, extra: Record<string, unknown> = {}) => ({ from: day, to: day, feature_service: 'credit_decision_v1', output_file, ...extra });
    const escape = await post(alice, '/v1/decision-training-sets', body('../outside/served.csv'));
    expect({ status: escape.status, reason: escape.body.reason }).toEqual({ status: 400, reason: 'JOB_FILE_REFUSED' });
    expect((await post(alice, '/v1/decision-training-sets', body(join(outside, 'served.csv')))).status).toBe(400);
    expect((await post(alice, '/v1/decision-training-sets', body('out-dir/served.csv'))).status).toBe(400);
    expect(existsSync(join(outside, 'served.csv'))).toBe(false);
    const written = await post(alice, '/v1/decision-training-sets', body('served/nov.csv'));
    expect({ status: written.status, output_file: written.body['output_file'] }).toEqual({ status: 200, output_file: 'served/nov.csv' });
    expect(existsSync(join(root, 'served', 'nov.csv'))).toBe(true);
    const twice = await post(alice, '/v1/decision-training-sets', body('served/nov.csv'));
    expect({ status: twice.status, detail: twice.body.detail }).toEqual({ status: 400, detail: '"output_file" "served/nov.csv" already exists: ask with "overwrite": true to replace it' });
    expect((await post(alice, '/v1/decision-training-sets', body('served/nov.csv', { overwrite: true }))).status).toBe(200);
  });

  it('admits exactly the quota of jobs in flight per principal out of concurrent submissions, answering the rest 429 with Retry-After', async () => {
    // Every read of the instalments waits behind this lock: customer_repayment jobs stay running.
    const locker = new SourceDatabase({ type: 'postgres', url: stack.pg.url, poolSize: 1 });
    await locker.start();
    const blocked = { kind: 'materialize', views: ['customer_repayment'], shard_size: 1_000 };
    const admitted: string[] = [];
    try {
      await locker.transaction(async (query) => {
        await query('LOCK TABLE installments IN ACCESS EXCLUSIVE MODE');
        const answers = await Promise.all(Array.from({ length: 20 }, () => post(carol, '/v1/jobs', blocked)));
        admitted.push(...answers.filter((a) => a.status === 202).map((a) => a.body.job?.id ?? ''));
        expect(answers.map((a) => a.status).sort()).toEqual([...Array(6).fill(202), ...Array(14).fill(429)]);
        const refused = answers.find((a) => a.status === 429);
        expect({ retryAfter: refused?.retryAfter, reason: refused?.body.reason, detail: refused?.body.detail }).toEqual({
          retryAfter: '30',
          reason: 'JOB_QUOTA_EXCEEDED',
          detail: expect.stringMatching(/at most 6 jobs in flight \(pending or running\) per principal/),
        });
        // Another principal is not held by carol's jobs; a finished (cancelled) job of carol's leaves room.
        const other = await post(bob, '/v1/jobs', blocked);
        expect(other.status).toBe(202);
        admitted.push(other.body.job?.id ?? '');
        expect((await post(carol, `/v1/jobs/${admitted[0]}/cancel`, {})).status).toBe(200);
        const next = await post(carol, '/v1/jobs', blocked);
        expect(next.status).toBe(202);
        admitted.push(next.body.job?.id ?? '');
        // With access control off, every caller is one anonymous principal with its own quota (1 here).
        const first = await post(null, '/v1/jobs', blocked, anonymousApi);
        expect({ status: first.status, principal: first.body.job?.principal }).toEqual({ status: 202, principal: 'anonymous' });
        admitted.push(first.body.job?.id ?? '');
        expect((await post(null, '/v1/jobs', blocked, anonymousApi)).status).toBe(429);
        for (const id of admitted) await post(alice, `/v1/jobs/${id}/cancel`, {});
      });
    } finally {
      await locker.close();
    }
    expect(processor.output()).not.toMatch(/hunter2/);
  });
});
