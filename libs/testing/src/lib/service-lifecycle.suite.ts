import { freePort, startRedisServer, type RunningRedis } from '@bnpl/service-launchers';
import { startTestPostgres, type TestPostgres } from './test-postgres';
import { spawnService, waitForHttp, type ServiceProcess } from './service-process';
import { getJson, waitFor } from './wait-for';

export interface ServiceLifecycleSpec {
  /** Folder under apps/. */
  app: string;
  /** Name of the env variable that sets the HTTP (health) port. */
  httpPortVariable: string;
  /** Readiness checks the service must report, by name. */
  readinessChecks: string[];
  /** Extra environment (e.g. a gRPC port); called once per started process. */
  extraEnv?: () => Promise<Record<string, string>>;
  /** Extra assertions while the service is up and ready. */
  whileReady?: (ctx: { service: ServiceProcess; httpUrl: string; env: Record<string, string> }) => Promise<void>;
  /**
   * The service serves every request without Redis (a read path falling back to PostgreSQL): Redis down
   * leaves it ready but degraded instead of not-ready. `whileDegraded` adds assertions for that time.
   */
  servesWithoutOnlineStore?: boolean;
  whileDegraded?: (ctx: { service: ServiceProcess; httpUrl: string; env: Record<string, string> }) => Promise<void>;
}

interface HealthBody {
  status: string;
  degraded?: string[];
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

/**
 * The end-to-end contract every service keeps, run against a real PostgreSQL database (on the run's
 * shared server) and a real redis-server started for the suite: it starts and reports ready with one
 * check per dependency, logs JSON, turns not-ready (never hangs) when a dependency dies and ready again
 * when it returns, refuses a bad environment variable by name, and exits 0 on SIGTERM.
 */
export function describeServiceLifecycle(spec: ServiceLifecycleSpec): void {
  describe(`${spec.app} lifecycle`, () => {
    let pg: TestPostgres;
    let redis: RunningRedis;
    const running: ServiceProcess[] = [];

    const start = async (overrides: Record<string, string> = {}) => {
      const port = await freePort();
      const env = {
        [spec.httpPortVariable]: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: pg.url,
        ONLINE_STORE: 'redis',
        REDIS_URL: redis.url,
        // Replication slots are cluster-wide and the suite's database shares the run's server: a slot named
        // after the database (unique in the cluster) cannot meet another suite's. Other apps ignore these.
        CDC_SLOT_NAME: pg.database,
        CDC_PUBLICATION: pg.database,
        ...(spec.extraEnv ? await spec.extraEnv() : {}),
        ...overrides,
      };
      const service = spawnService(spec.app, env);
      running.push(service);
      return { service, httpUrl: `http://127.0.0.1:${port}`, env };
    };

    beforeAll(async () => {
      [pg, redis] = await Promise.all([startTestPostgres(), startRedisServer()]);
    });

    afterAll(async () => {
      await Promise.all(running.map((s) => s.stop()));
      await Promise.all([pg?.stop(), redis?.stop()]);
    });

    it('starts, logs JSON lines, and reports ready with a check per dependency', async () => {
      const { service, httpUrl, env } = await start();
      await waitForHttp(service, `${httpUrl}/health/ready`);
      // Ready can come first as degraded: a service that serves without Redis answers 200 before its first
      // ping of a Redis still connecting succeeds (seen on a loaded CI machine). Every check must come up.
      const body = await waitFor('every readiness check up', async () => {
        const r = await getJson(`${httpUrl}/health/ready`, 3_000);
        const b = r.body as HealthBody;
        return r.status === 200 && Object.keys(b.info ?? {}).length === spec.readinessChecks.length ? b : undefined;
      });
      expect(body.status).toBe('ok');
      expect(Object.keys(body.info ?? {}).sort()).toEqual([...spec.readinessChecks].sort());
      expect(await getJson(`${httpUrl}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
      const lines = service.output().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toEqual(expect.objectContaining({ level: expect.any(String), message: expect.anything() }));
      if (spec.whileReady) await spec.whileReady({ service, httpUrl, env });
      await service.stop();
      expect(await service.exited).toEqual({ code: 0, signal: null });
    });

    if (spec.servesWithoutOnlineStore) {
      it('stays ready but degraded, naming the online store, while Redis is down, and fully ready when it returns', async () => {
        const { service, httpUrl, env } = await start();
        await waitForHttp(service, `${httpUrl}/health/ready`);
        await redis.kill();
        const degraded = await waitFor('readiness to report the online store degraded', async () => {
          const r = await getJson(`${httpUrl}/health/ready`, 3_000);
          if (r.status !== 200) throw new Error(`readiness answered ${r.status} while only Redis is down: ${JSON.stringify(r.body)}`);
          const body = r.body as HealthBody;
          return body.degraded?.includes('online-store') ? body : undefined;
        });
        expect(degraded).toMatchObject({ status: 'ok', degraded: ['online-store'], error: { 'online-store': { status: 'down' } }, info: { postgres: { status: 'up' } } });
        const metrics = (await getJson(`${httpUrl}/metrics`)).body as string;
        expect(metrics).toMatch(/^bnpl_readiness_degraded 1$/m);
        expect(metrics).toMatch(/^bnpl_dependency_up\{dependency="online-store"\} 0$/m);
        if (spec.whileDegraded) await spec.whileDegraded({ service, httpUrl, env });
        redis = await startRedisServer({ port: redis.port });
        await waitFor('readiness without degradation', async () => {
          const r = await getJson(`${httpUrl}/health/ready`, 3_000);
          return r.status === 200 && (r.body as HealthBody).degraded?.length === 0;
        }, 15_000);
        await service.stop();
      });
    } else {
      it('turns not-ready, naming the online store, when Redis dies, and ready again when it returns', async () => {
        const { service, httpUrl } = await start();
        await waitForHttp(service, `${httpUrl}/health/ready`);
        await redis.kill();
        const down = await waitFor('readiness to report the online store down', async () => {
          const r = await getJson(`${httpUrl}/health/ready`, 3_000);
          return r.status === 503 ? (r.body as HealthBody) : undefined;
        });
        expect(down.error?.['online-store']?.status).toBe('down');
        // Liveness does not depend on other services.
        expect((await getJson(`${httpUrl}/health/live`)).status).toBe(200);
        redis = await startRedisServer({ port: redis.port });
        await waitForHttp(service, `${httpUrl}/health/ready`, 200, 15_000);
        await service.stop();
      });
    }

    it('starts without hanging and reports PostgreSQL down when it is unreachable, naming neither its address nor its password', async () => {
      const deadPort = await freePort();
      const password = 'lifecycle-Pw-9f3c';
      const { service, httpUrl } = await start({ DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:${deadPort}/bnpl` });
      const body = (await waitForHttp(service, `${httpUrl}/health/ready`, 503)) as HealthBody;
      // Unauthenticated readiness says up or down per dependency, nothing else.
      expect(body.error?.['postgres']).toEqual({ status: 'down' });
      for (const entry of Object.values(body.error ?? {})) expect(Object.keys(entry)).toEqual(['status']);
      const leaks = new RegExp(`127\\.0\\.0\\.1|${deadPort}|${password}|ECONNREFUSED`);
      expect(JSON.stringify(body)).not.toMatch(leaks);
      // The details (an operator's: admin-scoped where access control runs) say why, addresses masked.
      const details = await getJson(`${httpUrl}/health/details`, 3_000);
      expect([401, 503]).toContain(details.status);
      if (details.status === 503) expect((details.body as HealthBody).error?.['postgres']?.message).toMatch(/unavailable|<address>/);
      expect(JSON.stringify(details.body)).not.toMatch(leaks);
      const metrics = await getJson(`${httpUrl}/metrics`, 3_000);
      expect(String(metrics.body)).not.toContain(password);
      // Logs may name the host (an operator needs it), never the password.
      expect(service.output()).toMatch(/unreachable/);
      await service.stop();
      expect((await service.exited).code).toBe(0);
      expect(service.output()).not.toContain(password);
    });

    it('refuses to start on a bad environment variable, naming it', async () => {
      const { service } = await start({ [spec.httpPortVariable]: 'not-a-port', DATABASE_URL: 'mysql://nope' });
      const exit = await service.exited;
      expect(exit.code).toBe(2);
      expect(service.output()).toContain(`${spec.httpPortVariable}: must be a number`);
      expect(service.output()).toContain('DATABASE_URL: must be a URL with scheme postgres://');
    });

    it('refuses a malformed DATABASE_URL or REDIS_URL by name and problem, never echoing it', async () => {
      const password = 'startup-Pw-51d7';
      const { service } = await start({
        DATABASE_URL: `postgres://app:${password}@db.internal.example:notaport/bnpl`,
        REDIS_URL: `redis://:${password}@cache.internal.example:63 79/0`,
      });
      const exit = await service.exited;
      expect(exit.code).toBe(2);
      expect(service.output()).toMatch(/DATABASE_URL: must be a URL with scheme postgres:\/\/.*does not parse as a URL.*the value is not shown/);
      expect(service.output()).toMatch(/REDIS_URL: .*the value is not shown/);
      expect(service.output()).not.toMatch(new RegExp(`${password}|internal\\.example`));
    });
  });
}
