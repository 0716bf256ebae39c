import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrateDatabase, SourceDatabase, SourceRepository, type SourceTableCounts } from '@bnpl/postgres';
import {
  findOnPath,
  freePort,
  MissingBinaryError,
  serviceNodeOptions,
  startEmbeddedPostgres,
  startPubSubEmulator,
  waitForPort,
  type RunningPostgres,
  type RunningPubSubEmulator,
  type RunningRedis,
} from '@bnpl/service-launchers';
import { EXIT_USAGE } from '@bnpl/command-line';
import { parseLocalStackArgs, USAGE, UsageError, type LocalStackOptions } from './local-stack-args';
import { SERVICES, appDir, type ServiceSpec } from './services';
import { observabilityBanner, ServiceLogs } from './service-logs';
import { supervisePostgres, superviseRedis } from './supervised-dependencies';
import { processInstance, Supervisor } from './supervisor';
import { ensureDemoApiKey } from './demo-api-key';
import { serviceDatabaseUrls } from './database-roles';
import { decisionBannerLines, demoDecision } from './demo-decision';

/**
 * The local stack: one command from a fresh clone to a running feature store with demo data.
 *
 *  1. an embedded PostgreSQL (wal_level=logical) with its data under .data/ (kept between runs)
 *  2. migrations, then demo data from the generator on first start only
 *  3. redis-server on a free port when it is on PATH, else the in-memory online store
 *  4. the Pub/Sub emulator when Go and pstest are installed, and the four services: separate processes
 *     when Redis and the emulator are there (as in production); inside this one process otherwise,
 *     because in-memory adapters (online store, message bus) are shared only in-process
 *  5. prints where to point curl and a gRPC client; Ctrl-C stops everything it started.
 */
const ROOT = resolve(__dirname, '../../..');

/** Exits on --help (0) and on a bad command line (2, with the problem and the usage). */
function parseOptions(argv: readonly string[]): LocalStackOptions {
  let command;
  try {
    command = parseLocalStackArgs(argv, { root: ROOT, redisServerOnPath: () => Boolean(findOnPath('redis-server')) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  return command.options;
}

const log = (message: string) => process.stdout.write(`[local-stack] ${message}\n`);

/** Where the services' output goes (from the options, at start): files under the data directory, or this terminal. */
let serviceLogs: ServiceLogs | undefined;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const logs = (serviceLogs = new ServiceLogs(options.dataDir, options.verbose));
  const started = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  // Runs last (cleanups run in reverse): the services' final lines are in the files first.
  cleanups.push(() => logs.close());
  /** Every supervisor, held at once when stopping: the services stop one by one, and nothing restarts meanwhile. */
  const supervisors: Supervisor[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const supervisor of supervisors) supervisor.hold();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: Error) => log(`while stopping: ${e.message}`));
    log('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // Something awaited forever with nothing left to run would otherwise end the process silently with 0.
  process.once('beforeExit', () => {
    if (!stopping) {
      process.stderr.write('[local-stack] failed: start-up stopped making progress\n');
      void stopAll(1);
    }
  });

  try {
    const ports = await assignPorts(options.portOffset);

    mkdirSync(join(options.dataDir, 'job-files'), { recursive: true });
    const firstStart = !existsSync(join(options.dataDir, 'postgres', 'PG_VERSION'));
    log(`${firstStart ? 'initialising' : 'starting'} PostgreSQL in ${join(options.dataDir, 'postgres')}`);
    // A stable port (54320 + offset) so `psql` works across runs; any free port if that one is taken.
    const preferredPgPort = 54_320 + options.portOffset;
    const pg = await startEmbeddedPostgres({ dataDir: join(options.dataDir, 'postgres'), port: (await isTaken(preferredPgPort)) ? await freePort() : preferredPgPort });
    // Supervised like every process here: restarted on the same port and data when it stops.
    const pgSupervisor = await supervisePostgres(pg, {}, log);
    supervisors.push(pgSupervisor.supervisor);
    cleanups.push(() => pgSupervisor.supervisor.stop());

    const applied = await migrateDatabase({ type: 'postgres', url: pg.url });
    log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date');
    // Access control is on, as in production: the banner's examples carry this key.
    const demoKey = await ensureDemoApiKey(pg.url, options.dataDir);
    log(demoKey.created ? `created the demo API key (every scope), kept in ${demoKey.file}` : `using the demo API key in ${demoKey.file}`);
    // rest-gateway, grpc-serving and batch-processor connect as their own database roles, as in production.
    const databaseUrls = await serviceDatabaseUrls(pg.url);
    log('rest-gateway, grpc-serving and batch-processor connect as their database roles (README "Database roles"); cdc-ingestor as the tables\' owner');

    // The marker exists only while a seed runs: found at start, the last seed was interrupted, and its
    // partial data is replaced. Data loaded any other way (e.g. a 2M-customer benchmark set) is never touched.
    const seeding = join(options.dataDir, 'seeding-in-progress');
    let counts = await countRows(pg);
    const interrupted = existsSync(seeding);
    if ((counts.customers === 0 || interrupted) && options.customers > 0) {
      log(`${interrupted ? 'the last demo seed was interrupted; regenerating' : 'generating demo data'}: ${options.customers} customers (seed ${options.seed})`);
      writeFileSync(seeding, new Date().toISOString());
      await runGenerator(pg, options, interrupted);
      rmSync(seeding);
      counts = await countRows(pg);
    }
    log(`source data: ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);

    let redis: RunningRedis | undefined;
    if (options.onlineStore === 'redis') {
      const supervised = await superviseRedis(log);
      redis = supervised.redis;
      supervisors.push(supervised.supervisor);
      cleanups.push(() => supervised.supervisor.stop());
      log(`redis-server on ${redis.url}`);
    } else {
      log('redis-server not found: using the in-memory online store');
    }

    // Separate processes need messaging between processes: the Pub/Sub emulator. Without it (or without
    // Redis) the services share this process and its in-process bus.
    let pubsub: RunningPubSubEmulator | undefined;
    if (redis && options.messaging !== 'memory') {
      try {
        log('starting the Pub/Sub emulator (built once from Go sources; the first build takes up to a minute)');
        pubsub = await startPubSubEmulator();
        cleanups.push(() => pubsub!.stop());
        log(`Pub/Sub emulator on ${pubsub.host}`);
      } catch (error) {
        if (!(error instanceof MissingBinaryError) || options.messaging === 'pubsub') throw error;
        log(`no Pub/Sub emulator (${error.message}): using the in-process message bus (all services in this process)`);
      }
    }

    const baseEnv: Record<string, string> = {
      HOST: '127.0.0.1',
      DATABASE_URL: pg.url,
      ONLINE_STORE: redis ? 'redis' : 'memory',
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(pubsub ? { MESSAGING: 'pubsub', PUBSUB_PROJECT_ID: pubsub.projectId, PUBSUB_EMULATOR_HOST: pubsub.host } : { MESSAGING: 'memory' }),
      // Feature history for training sets, written by the (single) batch-processor.
      OFFLINE_STORE: 'duckdb',
      OFFLINE_STORE_PATH: join(options.dataDir, 'offline.duckdb'),
      // The scheduled jobs Cloud Scheduler submits in production, run by the batch-processor here.
      JOB_SCHEDULES_FILE: join(ROOT, 'deploy/job-schedules.json'),
      // Training-set files (entity files in, training sets out): paths in job requests are relative to it.
      JOB_FILES_ROOT: join(options.dataDir, 'job-files'),
      // rest-gateway's decisions API is answered by the batch-processor that holds the records.
      DECISIONS_SERVICE_URL: `http://127.0.0.1:${ports.get('batch-processor')?.['PORT']}`,
    };
    if (pubsub) {
      for (const spec of SERVICES) {
        // A service that stops unasked is started again with backoff, as the platform does in production.
        const supervisor = new Supervisor(spec.name, async () => processInstance(spawnServiceProcess(spec, { ...baseEnv, ...ports.get(spec.name), DATABASE_URL: databaseUrls.get(spec.name) ?? pg.url })), log);
        await supervisor.start();
        supervisors.push(supervisor);
        cleanups.push(() => supervisor.stop());
      }
    } else {
      logs.routeInProcessServices();
      for (const spec of SERVICES) {
        const closer = await startInProcess(spec, { ...baseEnv, ...ports.get(spec.name), DATABASE_URL: databaseUrls.get(spec.name) ?? pg.url });
        cleanups.push(closer);
      }
    }
    await Promise.all(SERVICES.map((spec) => waitForReady(spec, ports.get(spec.name)!)));
    const decision = await demoDecision(`http://127.0.0.1:${ports.get('rest-gateway')?.['PORT']}`, demoKey.key);
    printBanner(ports, pg, redis, pubsub, (Date.now() - started) / 1000, demoKey.key, decision);
  } catch (error) {
    process.stderr.write(`[local-stack] failed: ${(error as Error).message}\n`);
    await stopAll(1);
  }
}

async function assignPorts(offset: number): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>();
  for (const spec of SERVICES) {
    const env: Record<string, string> = {};
    for (const { variable, value } of spec.ports) {
      const port = value + offset;
      if (await isTaken(port)) {
        throw new Error(`port ${port} (${spec.name} ${variable}) is already in use: stop what uses it, or run with --port-offset N`);
      }
      env[variable] = String(port);
    }
    result.set(spec.name, env);
  }
  return result;
}

async function isTaken(port: number): Promise<boolean> {
  return waitForPort('127.0.0.1', port, 0).then(
    () => true,
    () => false,
  );
}

async function countRows(pg: RunningPostgres): Promise<SourceTableCounts> {
  // Exact counts scan every table: a large data set (e.g. 2M benchmark customers) needs far more than the default statement timeout.
  const db = new SourceDatabase({ type: 'postgres', url: pg.url, poolSize: 1, statementTimeoutMs: 600_000 });
  await db.start();
  try {
    return await new SourceRepository(db).countRows();
  } finally {
    await db.close();
  }
}

function runGenerator(pg: RunningPostgres, options: LocalStackOptions, truncate: boolean): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', join(ROOT, 'tools/register.cjs'), join(ROOT, 'tools/data-generator/src/main.ts'), '--database-url', pg.url, '--customers', String(options.customers), '--seed', String(options.seed), ...(truncate ? ['--truncate'] : [])],
      { cwd: ROOT, stdio: 'inherit' },
    );
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`the data generator exited with ${code}`))));
  });
}

function spawnServiceProcess(spec: ServiceSpec, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...serviceNodeOptions(spec.name), '-r', join(ROOT, 'tools/register.cjs'), join(appDir(ROOT, spec.name), 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Into the service's log file, or onto this terminal with --verbose: the banner stays the last thing here.
  serviceLogs?.attach(spec.name, child);
  return child;
}

/**
 * Loads an app's bootstrap by path and starts it inside this process. Apps are not libraries (nothing may
 * import them), so this is a process manager's load, not a dependency: the same entry the app's main.ts uses.
 */
async function startInProcess(spec: ServiceSpec, env: Record<string, string>): Promise<() => Promise<void>> {
  const bootstrap = require(join(appDir(ROOT, spec.name), 'bootstrap')) as Record<string, (c: unknown) => Promise<{ apps: Array<{ close(): Promise<void> }> }>>;
  const config = require(join(appDir(ROOT, spec.name), 'config')) as Record<string, (e: Record<string, string | undefined>) => unknown>;
  const { apps } = await bootstrap[spec.startFunction](config[spec.configFunction]({ ...process.env, ...env }));
  return async () => {
    await Promise.all(apps.map((a) => a.close()));
  };
}

async function waitForReady(spec: ServiceSpec, env: Record<string, string>): Promise<void> {
  const url = `http://127.0.0.1:${env[spec.ports[0].variable]}/health/ready`;
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${spec.name} did not become ready within 60 s (${url}: ${last})`);
}

function printBanner(ports: Map<string, Record<string, string>>, pg: RunningPostgres, redis: RunningRedis | undefined, pubsub: RunningPubSubEmulator | undefined, seconds: number, apiKey: string, decision: string | null): void {
  const p = (name: string, variable: string) => ports.get(name)![variable];
  const rest = `http://127.0.0.1:${p('rest-gateway', 'PORT')}`;
  const grpc = `127.0.0.1:${p('grpc-serving', 'GRPC_PORT')}`;
  const metrics = [rest, `http://127.0.0.1:${p('grpc-serving', 'HTTP_PORT')}`, `http://127.0.0.1:${p('batch-processor', 'PORT')}`, `http://127.0.0.1:${p('cdc-ingestor', 'PORT')}`].map((url) => `${url}/metrics`);
  const key = `-H 'x-api-key: ${apiKey}'`;
  const creditDecision = '{"feature_service":"credit_decision_v1","entities":[{"keys":[{"join_key":"customer_id","id":"1"},{"join_key":"merchant_id","id":"1"}]}],"request_context":{"requested_amount":{"money_value":{"amount_minor":"12000","currency":"EUR"}}}}';
  process.stdout.write(`
BNPL Feature Store is up (${seconds.toFixed(1)} s)

  rest-gateway     ${rest}                 (health: ${rest}/health/ready)
  grpc-serving     ${grpc}                  (gRPC; health: http://127.0.0.1:${p('grpc-serving', 'HTTP_PORT')}/health/ready)
  batch-processor  http://127.0.0.1:${p('batch-processor', 'PORT')}
  cdc-ingestor     http://127.0.0.1:${p('cdc-ingestor', 'PORT')}
  PostgreSQL       ${pg.url}
  online store     ${redis ? redis.url : 'in-memory (install redis-server to use Redis)'}
  offline store    DuckDB file in the data directory (offline.duckdb)
  job files        the data directory's job-files/ (training-set paths are relative to it)
  messaging        ${pubsub ? `Pub/Sub emulator at ${pubsub.host} (PUBSUB_EMULATOR_HOST)` : 'in-process bus (all services in this process)'}
  logs             ${serviceLogs?.describe(!pubsub) ?? ''}
${observabilityBanner(metrics, process.env, !pubsub)}  API key          ${apiKey}
                   (the demo key, every scope; every call but health needs a key: -H 'x-api-key: ...' or -H 'Authorization: Bearer ...')

Try:
  curl -s ${key} '${rest}/v1/customers/1/features?features=customer_exposure:*,customer_repayment:*'
  curl -s -H 'Authorization: Bearer ${apiKey}' '${rest}/v1/customers/1/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=12000&currency=EUR'
  curl -s -X POST ${rest}/v1/features/online -H 'content-type: application/json' ${key} \\
    -d '{"feature_service":"credit_decision_v1","entities":[{"customer_id":"1","merchant_id":"1"},{"customer_id":"2","merchant_id":"3"}],"request_context":{"requested_amount":{"amount_minor":"12000","currency":"EUR"}}}'
  curl -s -X POST ${rest}/get-online-features -H 'content-type: application/json' ${key} \\
    -d '{"features":["customer_profile:kyc_level","customer_exposure:credit_limit"],"entities":{"customer_id":[1,2]}}'     (Feast's feature server API)
  curl -s ${key} ${rest}/v1/catalog                 (OpenAPI: ${rest}/docs, Authorize with the key; ${rest}/docs/json; metrics: ${rest}/metrics)
  npx buf curl --schema proto --protocol grpc --http2-prior-knowledge ${key} -d '${creditDecision}' \\
    http://${grpc}/bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures     (gRPC; buf comes with npm ci)
  npx buf curl --schema node_modules/grpc-health-check/proto/health/v1/health.proto --protocol grpc --http2-prior-knowledge http://${grpc}/grpc.health.v1.Health/Check
  BNPL_API_KEY=${apiKey} npm run fs -- --api ${rest} materialize --service credit_decision_v1     (a job, with a progress bar)
  BNPL_API_KEY=${apiKey} npm run fs -- --api ${rest} keys list     (API keys: keys create|list|revoke|rotate)
  BNPL_API_KEY=${apiKey} npm run fs -- --api ${rest} schedules     (scheduled jobs: deploy/job-schedules.json)
${decisionBannerLines(rest, apiKey, decision)}  psql ${pg.url} -c "UPDATE customers SET credit_limit_minor = 123400 WHERE id = 1"
    (streamed by cdc-ingestor: the first curl now shows the new credit_limit and utilization)
${redis ? `  DATABASE_URL=${pg.url} REDIS_URL=${redis.url} npm run parity -- --entity customer\n    (after the materialize job above: every customer in Redis equals the batch SQL)\n` : ''}
Ctrl-C stops everything.
`);
}

void main();
