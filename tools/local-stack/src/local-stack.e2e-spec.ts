import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { Client } from 'pg';
import { getJson, waitFor, WORKSPACE_ROOT } from '@bnpl/testing';
import { OutputTail, makeTempDir } from '@bnpl/service-launchers';

/** Stacks started by the tests: stopped in afterAll too, so a failed assertion leaves no process behind. */
const started: Array<{ child: ReturnType<typeof spawn>; exited: Promise<number | null> }> = [];

function startStack(args: string[]) {
  const tail = new OutputTail(200_000);
  const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/local-stack/src/main.ts'), ...args], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => tail.push(c));
  child.stderr.on('data', (c: Buffer) => tail.push(c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  started.push({ child, exited });
  return { child, output: () => tail.toString(), exited };
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** The services' ports before the offset: rest-gateway, batch-processor, cdc-ingestor, grpc-serving HTTP and gRPC. */
const SERVICE_PORTS = [3000, 3001, 3002, 3003, 50051];

describe('local stack (npm start)', () => {
  const dir = makeTempDir('bnpl-stack-');
  // Away from the default ports, so the test runs beside a developer's own stack (max offset 11215), and
  // where none of the services' ports is taken (an offset of 2429 puts grpc-serving on 5432, PostgreSQL's).
  let offset = 0;
  let args: string[] = [];
  beforeAll(async () => {
    offset = await waitFor('a port offset whose service ports are free', async () => {
      const candidate = 1_000 + Math.floor(Math.random() * 9_000);
      const taken = await Promise.all(SERVICE_PORTS.map((p) => portOpen(p + candidate)));
      return taken.includes(true) ? undefined : candidate;
    });
    args = ['--data-dir', join(dir.path, 'data'), '--customers', '300', '--port-offset', String(offset)];
  });

  afterAll(async () => {
    // SIGINT is the stack's Ctrl-C: it stops its services, Redis, the emulator and PostgreSQL.
    for (const stack of started) if (stack.child.exitCode === null && stack.child.signalCode === null) stack.child.kill('SIGINT');
    await Promise.all(started.map((stack) => stack.exited));
    dir.remove();
  });

  for (const [run, store] of [
    ['first start: generates data', 'redis'],
    ['second start: reuses the data, in-memory store in one process', 'memory'],
  ] as const) {
    it(run, async () => {
      const stack = startStack([...args, '--online-store', store]);
      try {
        await waitFor('the banner', async () => {
          if (stack.child.exitCode !== null) throw new Error(`stack exited ${stack.child.exitCode}:\n${stack.output()}`);
          return stack.output().includes('BNPL Feature Store is up');
        }, 90_000, 200);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${stack.output()}`);
      }
      const out = stack.output();
      if (store === 'redis') expect(out).toContain('generating demo data: 300 customers');
      else expect(out).not.toContain('generating demo data');
      expect(out).toMatch(/source data: 300 customers/);
      expect(out).toContain(`(health: http://127.0.0.1:${3000 + offset}/health/ready)`);
      // Access control is on: a demo key is printed, and every example carries it.
      const apiKey = /API key {10}(fsk_\S+)/.exec(out)?.[1] ?? 'missing key';
      expect(apiKey).toMatch(/^fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      if (store === 'redis') expect(out).toContain('created the demo API key');
      else expect(out).toContain('using the demo API key');
      expect((await getJson(`http://127.0.0.1:${3000 + offset}/v1/catalog`)).status).toBe(401);
      // The printed feature reads work on the demo data, with the key as x-api-key and as a bearer token.
      const reads = [...out.matchAll(/curl -s -H '([^:]+): ([^']+)' '([^']+\/features[^']*)'/g)].map((m) => ({ header: m[1], value: m[2], url: m[3] }));
      expect(reads.map((r) => r.header)).toEqual(['x-api-key', 'Authorization']);
      for (const read of reads) {
        const response = await fetch(read.url, { headers: { [read.header]: read.value } });
        expect({ url: read.url, status: response.status }).toEqual({ url: read.url, status: 200 });
        const statuses = ((await response.json()) as { results: Array<{ values: Array<{ status: string }> }> }).results[0].values.map((v) => v.status);
        expect(statuses.length).toBeGreaterThan(5);
        expect(statuses).not.toContain('MISSING');
      }
      // The printed POST examples (the batch read, Feast's read) work too, and answer snake_case JSON.
      const posts = [...out.matchAll(/curl -s -X POST (\S+) -H 'content-type: application\/json' -H 'x-api-key: ([^']+)' \\\n\s+-d '([^']+)'/g)].map((m) => ({ url: m[1], key: m[2], body: m[3] }));
      expect(posts.map((p) => new URL(p.url).pathname)).toEqual(['/v1/features/online', '/get-online-features']);
      for (const example of posts) {
        const response = await fetch(example.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': example.key }, body: example.body });
        const text = await response.text();
        expect({ url: example.url, status: response.status }).toEqual({ url: example.url, status: 200 });
        expect(text).not.toMatch(/entityRow|eventTime|amountMinor/);
      }
      // The printed gRPC health check (buf curl, with the health service's schema from grpc-health-check) works as pasted.
      const healthCall = /(npx buf curl [^\n]*grpc\.health\.v1\.Health\/Check)/.exec(out)?.[1] ?? 'missing health check example';
      expect(healthCall).toContain(`http://127.0.0.1:${50051 + offset}/`);
      const health = spawnSync('bash', ['-c', healthCall], { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect({ status: health.status, stdout: health.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('"SERVING"') });
      // The printed gRPC call (buf curl, installed by npm ci, with the schema from proto/) works as pasted.
      const grpcCall = /(npx buf curl [^\n]+\\\n\s+\S+)/.exec(out)?.[1] ?? 'missing buf curl example';
      expect(grpcCall).toContain(`-H 'x-api-key: ${apiKey}'`);
      const answer = spawnSync('bash', ['-c', grpcCall.replace(/\\\n\s+/, ' ')], { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect({ status: answer.status, stderr: answer.stderr }).toEqual({ status: 0, stderr: '' });
      expect((JSON.parse(answer.stdout) as { featureNames: string[] }).featureNames.length).toBeGreaterThan(10);
      // The printed CLI example runs a job to completion through the stack's messaging and batch-processor.
      const cli = /BNPL_API_KEY=(\S+) npm run fs -- --api (\S+) materialize/.exec(out);
      expect(cli?.[2]).toBe(`http://127.0.0.1:${3000 + offset}`);
      expect(cli?.[1]).toBe(apiKey);
      const job = spawnSync(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/cli/src/main.ts'), '--api', cli?.[2] ?? '', 'materialize', '--views', 'customer_profile'], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, BNPL_API_KEY: cli?.[1] ?? '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: job.status, out: job.stdout.split('\n').at(-2) }).toEqual({ status: 0, out: expect.stringMatching(/^job \S+ succeeded: 1\/1 shards, 300 rows$/) });
      // The printed schedules example lists the schedules of deploy/job-schedules.json, run by the stack's batch-processor.
      const schedulesCall = /BNPL_API_KEY=(\S+) npm run fs -- --api (\S+) schedules/.exec(out);
      const schedules = spawnSync(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/cli/src/main.ts'), '--api', schedulesCall?.[2] ?? '', 'schedules'], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, BNPL_API_KEY: schedulesCall?.[1] ?? '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: schedules.status, out: schedules.stdout }).toEqual({ status: 0, out: expect.stringMatching(/bnpl-materialize-full +30 2 \* \* \* \(Europe\/London\)[\s\S]*bnpl-materialize-incremental +15 \* \* \* \* \(Etc\/UTC\)/) });
      // The banner names the decision the stack just made (recorded); the printed `decisions show` shows it.
      const decisionCall = /BNPL_API_KEY=(\S+) npm run fs -- --api (\S+) decisions show (\S+)/.exec(out);
      expect(out).toContain(`Decision ${decisionCall?.[3]} was just served`);
      const shown = await waitFor('the banner decision stored', async () => {
        const run = spawnSync(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/cli/src/main.ts'), '--api', decisionCall?.[2] ?? '', 'decisions', 'show', decisionCall?.[3] ?? ''], {
          cwd: WORKSPACE_ROOT,
          env: { ...process.env, BNPL_API_KEY: decisionCall?.[1] ?? '' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        return run.status === 0 ? run.stdout : undefined;
      }, 30_000, 500);
      expect(shown).toContain(`decision ${decisionCall?.[3]}`);
      expect(shown).toMatch(/customer_exposure:utilization .*(PRESENT|DEFAULT|STALE)/);
      for (const port of [3000, 3001, 3002, 3003]) {
        const ready = await getJson(`http://127.0.0.1:${port + offset}/health/ready`);
        expect(ready.status).toBe(200);
      }
      const pgPort = Number(/postgres:\/\/[^@]+@127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      expect(await portOpen(pgPort)).toBe(true);
      // Each service but the ingestor is connected as its own database role (README "Database roles").
      const owner = new Client({ connectionString: /postgres:\/\/\S+/.exec(out)?.[0] });
      await owner.connect();
      try {
        const { rows } = await owner.query<{ app: string; role: string }>(
          `SELECT DISTINCT application_name AS app, usename::text AS role FROM pg_stat_activity WHERE application_name IN ('rest-gateway', 'grpc-serving', 'batch-processor') ORDER BY 1`,
        );
        expect(rows).toEqual([
          { app: 'batch-processor', role: 'bnpl_batch_processor' },
          { app: 'grpc-serving', role: 'bnpl_grpc_serving' },
          { app: 'rest-gateway', role: 'bnpl_rest_gateway' },
        ]);
      } finally {
        await owner.end();
      }
      expect(out).not.toMatch(/bnpl_(rest_gateway|grpc_serving|batch_processor):[^@\s]+@/);

      stack.child.kill('SIGINT');
      expect(await stack.exited).toBe(0);
      // Nothing is left behind: the services' ports and PostgreSQL's are closed.
      for (const port of SERVICE_PORTS.map((p) => p + offset).concat(pgPort)) {
        expect(await portOpen(port)).toBe(false);
      }
    });
  }

  it('rejects nonsense arguments with usage text', async () => {
    const stack = startStack(['--customers', 'lots']);
    expect(await stack.exited).toBe(2);
    expect(stack.output()).toContain('--customers must be an integer >= 0, got "lots"');
    expect(stack.output()).toContain('Usage: npm start');
    const tooFar = startStack(['--port-offset', '20000']);
    expect(await tooFar.exited).toBe(2);
    expect(tooFar.output()).toContain('--port-offset must be at most 11215');
  });
});
