import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError, JobsApi } from './api-client';
import { submitJob } from './submit-job';

/** A stub jobs API that keeps jobs by idempotency key, as rest-gateway does; `behave` decides each POST's fate. */
function stubApi(behave: (post: number) => 'answer' | 'hang' | 'fail') {
  const jobs = new Map<string, { id: string; idempotency_key: string; state: string }>();
  const calls: Array<{ method: string; url: string; key?: string }> = [];
  let posts = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      calls.push({ method: req.method ?? '', url: req.url ?? '', ...(key ? { key } : {}) });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        const fate = behave(++posts);
        if (fate === 'fail') return res.writeHead(503).end(JSON.stringify({ detail: 'PostgreSQL unreachable' }));
        // The job is created either way; a hung answer never arrives.
        const job = jobs.get(key ?? '') ?? { id: `job-${jobs.size + 1}`, idempotency_key: key ?? '', state: 'pending' };
        jobs.set(job.idempotency_key, job);
        if (fate === 'hang') return;
        return res.writeHead(202).end(JSON.stringify({ job }));
      }
      const wanted = new URL(req.url ?? '', 'http://x').searchParams.get('idempotency_key');
      res.end(JSON.stringify({ jobs: [...jobs.values()].filter((j) => j.idempotency_key === wanted) }));
    });
  });
  return {
    calls,
    jobs,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const noWait = { sleep: async () => undefined, timeoutMs: 200 };

describe('submitJob', () => {
  it('looks the job up when the answer is lost instead of reporting a failure or submitting twice', async () => {
    const stub = stubApi(() => 'hang');
    const api = new JobsApi(await stub.start());
    try {
      const job = await submitJob(api, { kind: 'materialize' }, 'key-1', noWait);
      expect(job).toMatchObject({ id: 'job-1', idempotency_key: 'key-1' });
      expect(stub.jobs.size).toBe(1);
      expect(stub.calls.map((c) => `${c.method} ${c.url} ${c.key ?? ''}`)).toEqual(['POST /v1/jobs key-1', 'GET /v1/jobs?limit=1&idempotency_key=key-1 ']);
    } finally {
      await stub.stop();
    }
  });

  it('submits again with the same key after a 5xx when no job was found, and gets one job', async () => {
    const stub = stubApi((post) => (post === 1 ? 'fail' : 'answer'));
    const api = new JobsApi(await stub.start());
    try {
      expect(await submitJob(api, { kind: 'materialize' }, 'key-2', noWait)).toMatchObject({ id: 'job-1' });
      expect(stub.calls.filter((c) => c.method === 'POST').map((c) => c.key)).toEqual(['key-2', 'key-2']);
    } finally {
      await stub.stop();
    }
  });

  it('gives up after its attempts, naming the key to retry with, and takes a refusal at once', async () => {
    const down = new JobsApi('http://127.0.0.1:1');
    await expect(submitJob(down, { kind: 'materialize' }, 'key-3', { ...noWait, attempts: 2 })).rejects.toThrow(/no answer after 2 tries .* no job with idempotency key key-3 was found\. Submitting again with --idempotency-key key-3 cannot create a second job/);
    const refusing = { submit: async () => Promise.reject(new ApiError(409, 'already names job j1')), list: async () => [] } as unknown as JobsApi;
    await expect(submitJob(refusing, {}, 'k', noWait)).rejects.toMatchObject({ status: 409 });
  });
});
