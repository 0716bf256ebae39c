import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, makeTempDir, OutputTail, startPubSubEmulator, startRedisServer, type RunningPubSubEmulator, type RunningRedis } from '@bnpl/service-launchers';
import { getJson, serviceEnv, spawnService, waitForHttp, WORKSPACE_ROOT, type ServiceProcess } from '@bnpl/testing';

const execFileAsync = promisify(execFile);

/** The parts of the parity CLI's JSON report a drill reads. */
export interface ParityAnswer {
  readonly code: number;
  readonly entitiesChecked: number;
  readonly rowsChecked: number;
  readonly mismatchedRows: number;
  readonly missingOnline: number;
  readonly consistent: boolean;
}

export interface JobAnswer {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly views: readonly string[];
  readonly rows_done: number;
  readonly created_at: string;
  readonly finished_at: string | null;
}

export interface DrillStackOptions {
  /** A migrated PostgreSQL database holding the source data. */
  readonly databaseUrl: string;
  readonly log: (message: string) => void;
}

/**
 * What the disaster-recovery drills run on: the production topology in small. A redis-server that keeps
 * RDB snapshots in a directory of its own (as Memorystore does), the Pub/Sub emulator, rest-gateway and a
 * batch-processor as processes, on a PostgreSQL the caller provides. The drills then use the operators'
 * own commands: `npm run fs -- materialize` and `npm run parity`.
 */
export class DrillStack {
  private readonly services: ServiceProcess[] = [];
  private batch?: ServiceProcess;

  private constructor(
    private readonly options: DrillStackOptions,
    private redisServer: RunningRedis,
    private readonly redisDir: ReturnType<typeof makeTempDir>,
    private readonly pubsub: RunningPubSubEmulator,
    readonly api: string,
  ) {}

  static async start(options: DrillStackOptions): Promise<DrillStack> {
    const redisDir = makeTempDir('bnpl-drill-redis-');
    const redis = await startRedisServer({ args: persistence(redisDir.path) });
    const pubsub = await startPubSubEmulator().catch(async (error: unknown) => {
      await redis.stop();
      throw error;
    });
    const restPort = await freePort();
    const stack = new DrillStack(options, redis, redisDir, pubsub, `http://127.0.0.1:${restPort}`);
    try {
      // Access control is not what is drilled here: the CLI calls rest-gateway without a key.
      const rest = stack.spawn('rest-gateway', { PORT: String(restPort), AUTH_MODE: 'off' });
      const batchPort = await freePort();
      stack.batch = stack.spawn('batch-processor', { PORT: String(batchPort), LOG_LEVEL: 'log' });
      await Promise.all([waitForHttp(rest, `${stack.api}/health/ready`, 200, 90_000), waitForHttp(stack.batch, `http://127.0.0.1:${batchPort}/health/ready`, 200, 90_000)]);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    options.log(`stack up: redis-server ${redis.url} (RDB in ${redisDir.path}), Pub/Sub emulator ${pubsub.host}, rest-gateway ${stack.api}, a batch-processor`);
    return stack;
  }

  get redisUrl(): string {
    return this.redisServer.url;
  }

  /** What the batch-processor printed so far. */
  batchOutput(): string {
    return this.batch?.output() ?? '';
  }

  /** `SAVE`: an RDB snapshot of everything Redis holds now (Memorystore takes one every period). */
  async snapshot(): Promise<void> {
    await this.redisCli('SAVE');
  }

  /** SIGKILL: Redis loses everything since its last snapshot. */
  async crashRedis(): Promise<void> {
    await this.redisServer.kill();
  }

  /**
   * Starts Redis again on its port: from its last RDB snapshot (a restart, or Memorystore's recovery), or
   * empty (the data is gone: a failover to an empty replica, a flush, a lost volume).
   */
  async restartRedis(from: 'snapshot' | 'empty'): Promise<void> {
    const port = Number(new URL(this.redisServer.url).port);
    const dir = from === 'snapshot' ? this.redisDir.path : makeTempDir('bnpl-drill-redis-empty-').path;
    this.redisServer = await startRedisServer({ port, args: persistence(dir) });
    this.options.log(`redis-server restarted ${from === 'snapshot' ? 'from its RDB snapshot' : 'empty'}: ${await this.redisCli('DBSIZE')} keys`);
  }

  /** `npm run fs -- <args>` against rest-gateway: its exit code, the job id it submitted, and its output. */
  fs(args: readonly string[]): Promise<{ code: number; jobId: string | null; output: string }> {
    return this.tool('tools/cli/src/main.ts', ['--api', this.api, ...args], {}).then(({ code, output }) => ({ code, jobId: /submitted job (\S+)/.exec(output)?.[1] ?? null, output }));
  }

  /** `npm run parity -- --entity <entity>` with the services' variables: every entity of the source checked. */
  async parity(entity: 'customer' | 'merchant'): Promise<ParityAnswer> {
    const report = join(this.redisDir.path, `parity-${entity}-${Date.now()}.json`);
    const env = { DATABASE_URL: this.options.databaseUrl, ONLINE_STORE: 'redis', REDIS_URL: this.redisServer.url };
    const { code, output } = await this.tool('tools/parity/src/main.ts', ['--entity', entity, '--report', report], env);
    if (code !== 0 && code !== 1) throw new Error(`the parity check could not run (exit ${code}):\n${output}`);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Omit<ParityAnswer, 'code'>;
    return { code, entitiesChecked: json.entitiesChecked, rowsChecked: json.rowsChecked, mismatchedRows: json.mismatchedRows, missingOnline: json.missingOnline, consistent: json.consistent };
  }

  /** The jobs, newest first. */
  async jobs(): Promise<JobAnswer[]> {
    return ((await getJson(`${this.api}/v1/jobs`)).body as { jobs: JobAnswer[] }).jobs;
  }

  /** A REST feature read of every view of one customer: values and statuses, for comparing answers. */
  async readCustomer(id: number): Promise<{ status: number; values: unknown }> {
    const r = await getJson(`${this.api}/v1/customers/${id}/features?features=customer_profile:*,customer_exposure:*,customer_repayment:*,customer_spending:*`);
    const body = r.body as { results?: Array<{ values: Array<{ value: unknown }> }> };
    return { status: r.status, values: body.results?.[0]?.values.map((v) => v.value) };
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await Promise.all([this.redisServer.stop(), this.pubsub.stop()]);
    this.redisDir.remove();
  }

  private spawn(app: string, env: Record<string, string>): ServiceProcess {
    const service = spawnService(app, { ...serviceEnv({ pg: { url: this.options.databaseUrl }, redis: this.redisServer, pubsub: this.pubsub }), ...env });
    this.services.push(service);
    return service;
  }

  private async redisCli(...command: string[]): Promise<string> {
    const { port } = new URL(this.redisServer.url);
    return (await execFileAsync('redis-cli', ['-p', port, ...command])).stdout.trim();
  }

  /** Runs a repository tool as `npm run` would, without npm: its exit code and output. */
  private tool(entry: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
    const tail = new OutputTail(1_000_000);
    const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, entry), ...args], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => tail.push(c));
    child.stderr.on('data', (c: Buffer) => tail.push(c));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, output: tail.toString() })));
  }
}

/** RDB snapshots in `dir` (SAVE only: the drills decide when), no AOF: what a restart recovers is the snapshot. */
function persistence(dir: string): string[] {
  return ['--dir', dir, '--dbfilename', 'dump.rdb'];
}
