import { freePort, startPubSubEmulator, startRedisServer, type PubSubEmulatorOptions, type RunningPubSubEmulator, type RunningRedis } from '@bnpl/service-launchers';
import { serviceEnv } from './service-env';
import { spawnService, waitForHttp, type ServiceProcess } from './service-process';
import { startTestPostgres, type TestPostgres } from './test-postgres';

export interface TestStackOptions {
  /** Start the Pub/Sub emulator too and point every service at it (`true`: its defaults). */
  pubsub?: boolean | PubSubEmulatorOptions;
}

export interface StartServiceOptions {
  /** The variable that sets the app's HTTP port (health, metrics): `PORT` (default), `HTTP_PORT` for grpc-serving. */
  portVariable?: string;
}

/** An app started by a TestStack, ready. */
export interface StartedService extends ServiceProcess {
  /** Its HTTP port. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
}

/**
 * A real PostgreSQL (migrated), a redis-server and, when asked, the Pub/Sub emulator for one test suite,
 * and the apps started on them. `stop()` (in afterAll) stops the apps, then the rest.
 */
export class TestStack {
  private readonly services: ServiceProcess[] = [];

  private constructor(
    readonly pg: TestPostgres,
    private currentRedis: RunningRedis,
    readonly pubsub: RunningPubSubEmulator | undefined,
  ) {}

  /** Starts the dependencies in parallel; stops those that started when one fails. */
  static async start(options: TestStackOptions = {}): Promise<TestStack> {
    const { pubsub } = options;
    const [pg, redis, emulator] = await Promise.allSettled([
      startTestPostgres(),
      startRedisServer(),
      pubsub ? startPubSubEmulator(pubsub === true ? {} : pubsub) : Promise.resolve(undefined),
    ]);
    if (pg.status === 'fulfilled' && redis.status === 'fulfilled' && emulator.status === 'fulfilled') return new TestStack(pg.value, redis.value, emulator.value);
    const results = [pg, redis, emulator];
    await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value?.stop() : undefined)));
    throw results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  }

  /** The redis-server now running (see `startRedisAgain`). */
  get redis(): RunningRedis {
    return this.currentRedis;
  }

  /** Starts redis-server again on the same port (empty) after a test killed it; `stop()` stops the new one. */
  async startRedisAgain(): Promise<void> {
    this.currentRedis = await startRedisServer({ port: this.currentRedis.port });
  }

  /**
   * Runs `apps/<app>` on a free port with `serviceEnv` of this stack plus `env`, and waits until it is
   * ready. The process is stopped by `stop()`, also when it never gets ready.
   */
  async startService(app: string, env: Record<string, string> = {}, options: StartServiceOptions = {}): Promise<StartedService> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = spawnService(app, { ...serviceEnv(this), [options.portVariable ?? 'PORT']: String(port), ...env });
    this.services.push(service);
    await waitForHttp(service, `${url}/health/ready`);
    return { ...service, port, url };
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop()));
    await Promise.all([this.pg.stop(), this.currentRedis.stop(), this.pubsub?.stop()]);
  }
}

/** See TestStack. */
export function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  return TestStack.start(options);
}
