import { credentials, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type FeatureServingServiceClient, type GetOnlineFeaturesResponse__Output, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { freePort, runSql, seedSyntheticSource, startTestStack, waitFor, waitForJob, WORKSPACE_ROOT, type StartedService, type TestStack } from '@bnpl/testing';
import { metricNamesIn, readDashboardQueries, readRuleFiles, sampleNames } from './metrics/metric-names';
import { OtlpTraceReceiver, type ReceivedSpan } from './otlp/otlp-trace-receiver';
import { TraceTree } from './otlp/trace-tree';

/**
 * Every signal end to end, on the real services as separate processes (real PostgreSQL, Redis, the Pub/Sub
 * emulator), tracing every request into an in-test OTLP receiver:
 * - traces: the parent/child structure of a REST read (L1, Redis, the PostgreSQL fallback), a gRPC read, a
 *   job across two batch-processors, and a source change from the ingestor to each serving instance's L1;
 * - metrics: every service's /metrics passes `promtool check metrics`, and exports every metric a
 *   dashboard or an alert rule names;
 * - logs: JSON lines with level names, ISO times, the service, request and trace ids.
 */

const CUSTOMERS = 60;
const DEPLOY = join(WORKSPACE_ROOT, 'deploy/observability');

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A caller's own trace context, so that the test knows the trace id and the parent span id of the call. */
const callerContext = () => {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
};
const isRedis = (s: ReceivedSpan) => s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis';
const isPostgres = (s: ReceivedSpan) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql';

describe('observability: traces across every hop, metrics and logs of every service', () => {
  let stack: TestStack;
  const receiver = new OtlpTraceReceiver();
  let rest: StartedService;
  let grpc: StartedService & { address: string };
  let client: FeatureServingServiceClient;
  let cdc: StartedService;
  const processors: StartedService[] = [];
  let decisionDir: string | undefined;

  /** The spans of `traceId` once `ready` holds for them (the services export every 100 ms). */
  const traceOf = async (what: string, traceId: string, ready: (spans: ReceivedSpan[], tree: TraceTree) => boolean): Promise<TraceTree> => {
    try {
      return await waitFor(
        what,
        async () => {
          const tree = new TraceTree(receiver.spans());
          return ready(tree.trace(traceId), tree) ? tree : undefined;
        },
        30_000,
        100,
      );
    } catch (error) {
      // A span that never arrives was most likely dropped by its exporter: each service's last lines (the
      // services log the SDK's export failures) say whether one failed.
      const services: Array<[string, StartedService | undefined]> = [['cdc-ingestor', cdc], ...processors.map((p, i): [string, StartedService] => [`batch-processor ${i + 1}`, p]), ['rest-gateway', rest], ['grpc-serving', grpc]];
      const tails = services
        .filter((entry): entry is [string, StartedService] => entry[1] !== undefined)
        .map(([name, service]) => `--- the last lines of ${name}:\n${service.output().split('\n').slice(-15).join('\n')}`);
      throw new Error(`${(error as Error).message}\nspans of the trace so far:\n${new TraceTree(receiver.spans()).describe(traceId)}\n${tails.join('\n')}`);
    }
  };
  /** The one span named `name` (of `service`) in `spans`. */
  const only = (spans: ReceivedSpan[], name: string, service?: string): ReceivedSpan => {
    const found = spans.filter((s) => s.name === name && (service === undefined || s.service === service));
    if (found.length !== 1) throw new Error(`expected one span "${name}"${service ? ` of ${service}` : ''}, found ${found.length}: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`);
    return found[0];
  };

  beforeAll(async () => {
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    await receiver.start();
    // Every trace sampled, exported every 100 ms; info logs, to look at them.
    const telemetry = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'log' };
    // Replication slots are cluster-wide: one named after the suite's database cannot meet another suite's.
    const database = new URL(stack.pg.url).pathname.slice(1);
    // One after the other: five processes starting at once on two cores take longer than a start may.
    cdc = await stack.startService('cdc-ingestor', { ...telemetry, CDC_SLOT_NAME: database, CDC_PUBLICATION: database });
    // One shard at a time each, so that both instances take part in a job. The first also stores the decision
    // records (DuckDB) and answers the decisions API, so that outcomes can be posted and counted.
    decisionDir = mkdtempSync(join(tmpdir(), 'bnpl-obs-'));
    const decisionStore = { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: join(decisionDir, 'offline.duckdb') };
    for (let i = 0; i < 2; i++) processors.push(await stack.startService('batch-processor', { ...telemetry, BATCH_CHUNK_SIZE: '5', BATCH_SHARDS_IN_FLIGHT: '1', ...(i === 0 ? decisionStore : {}) }));
    rest = await stack.startService('rest-gateway', { ...telemetry, DECISIONS_SERVICE_URL: processors[0].url });
    const grpcPort = await freePort();
    grpc = { ...(await stack.startService('grpc-serving', { ...telemetry, GRPC_PORT: String(grpcPort) }, { portVariable: 'HTTP_PORT' })), address: `127.0.0.1:${grpcPort}` };
    const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
    client = new (loadPackageDefinition(definition) as unknown as ServingProtoGrpcType).bnpl.featurestore.v1.FeatureServingService(grpc.address, credentials.createInsecure());
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await receiver.stop();
    if (decisionDir) rmSync(decisionDir, { recursive: true, force: true });
  });

  it('traces a REST read: server span, then L1, Redis on the miss, and the PostgreSQL fallback', async () => {
    const caller = callerContext();
    const answer = await fetch(`${rest.url}/v1/customers/7/features?features=customer_profile:*,customer_exposure:*`, { headers: { traceparent: caller.traceparent } });
    expect(answer.status).toBe(200);
    // The server span ends last, and may come in a later export than its children.
    const tree = await traceOf('the REST read to be exported', caller.traceId, (spans) => spans.some((s) => s.kind === 'SERVER') && spans.some((s) => s.name === 'source read') && spans.some(isPostgres) && spans.some(isRedis));
    const spans = tree.trace(caller.traceId);
    // The caller's span is the parent of the service's server span.
    const server = spans.find((s) => s.kind === 'SERVER' && s.service === 'rest-gateway');
    expect(server).toMatchObject({ name: 'GET /v1/customers/:customerId/features', parentSpanId: caller.spanId, attributes: { 'http.route': '/v1/customers/:customerId/features' } });
    const l1 = only(spans, 'online-store l1 read');
    expect(tree.ancestors(l1)).toContain(server);
    // Nothing in L1 nor in Redis for customer 7: the read goes on to Redis, then falls back to PostgreSQL.
    const redisRead = only(spans, 'online-store redis read');
    expect(tree.parent(redisRead)).toBe(l1);
    expect(redisRead.attributes).toMatchObject({ 'bnpl.entities': 1, 'bnpl.hits': 0, 'bnpl.misses': 2 });
    expect(spans.filter(isRedis).some((command) => tree.parent(command) === redisRead)).toBe(true);
    const sources = spans.filter((s) => s.name === 'source read');
    expect(sources.map((s) => s.attributes['bnpl.view']).sort()).toEqual(['customer_exposure', 'customer_profile']);
    for (const source of sources) {
      expect(tree.ancestors(source)).toContain(server);
      expect(tree.ancestors(source)).not.toContain(l1);
    }
    expect(spans.filter(isPostgres).some((query) => sources.includes(tree.ancestor(query, (s) => s.name === 'source read') as ReceivedSpan))).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['rest-gateway']));
  });

  it('traces a gRPC read: the server span continues the caller metadata, with L1 and Redis beneath it', async () => {
    const caller = callerContext();
    const metadata = new Metadata();
    metadata.set('traceparent', caller.traceparent);
    const response = await new Promise<GetOnlineFeaturesResponse__Output>((resolve, reject) =>
      client.GetOnlineFeatures({ features: { refs: ['customer_profile:kyc_level'] }, entities: [{ keys: [{ join_key: 'customer_id', id: '8' }] }] }, metadata, { deadline: Date.now() + 10_000 }, (error: ServiceError | null, value?: GetOnlineFeaturesResponse__Output) =>
        error || !value ? reject(error) : resolve(value),
      ),
    );
    expect(response.rows).toHaveLength(1);
    const tree = await traceOf('the gRPC read to be exported', caller.traceId, (spans) => spans.some((s) => s.name === 'online-store redis read') && spans.some((s) => s.kind === 'SERVER'));
    const spans = tree.trace(caller.traceId);
    const server = spans.find((s) => s.kind === 'SERVER');
    expect(server).toMatchObject({ service: 'grpc-serving', parentSpanId: caller.spanId, name: expect.stringContaining('bnpl.featurestore.v1.FeatureServingService/GetOnlineFeatures') });
    const l1 = only(spans, 'online-store l1 read');
    expect(tree.ancestors(l1)).toContain(server);
    expect(tree.parent(only(spans, 'online-store redis read'))).toBe(l1);
  });

  it('traces a job from POST /v1/jobs through every shard, run by both batch-processors', async () => {
    const consumer = (s: ReceivedSpan) => s.kind === 'CONSUMER' && s.name === 'process bnpl.jobs.requests';
    /** Submits a job with the caller's own trace context and waits for every shard run's span. */
    const tracedJob = async () => {
      const caller = callerContext();
      const submitted = await fetch(`${rest.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: caller.traceparent },
        body: JSON.stringify({ kind: 'materialize', views: ['customer_profile', 'customer_exposure'], shard_size: 5 }),
      });
      expect(submitted.status).toBe(202);
      const id = ((await submitted.json()) as { job: { id: string } }).job.id;
      const done = await waitForJob(rest.url, id);
      expect(done.job).toMatchObject({ state: 'succeeded', shards_total: CUSTOMERS / 5 });
      const tree = await traceOf('every shard run to be exported', caller.traceId, (spans) => spans.some((s) => s.kind === 'SERVER') && new Set(spans.filter(consumer).map((s) => s.attributes['messaging.message.id'])).size >= CUSTOMERS / 5);
      const spans = tree.trace(caller.traceId);
      return { caller, tree, spans, runs: spans.filter(consumer) };
    };
    // The emulator hands shards to the streaming pulls that are open: a processor whose pull opened late (a
    // loaded machine) may get none of a short job's shards. What is tested is the trace across processes, so
    // a job that one processor ran alone is followed by another (at most three in all).
    let job = await tracedJob();
    for (let attempt = 1; attempt < 3 && new Set(job.runs.map((s) => s.instance)).size < 2; attempt++) job = await tracedJob();
    const { caller, tree, spans, runs } = job;
    const server = spans.find((s) => s.kind === 'SERVER' && s.service === 'rest-gateway');
    expect(server?.parentSpanId).toBe(caller.spanId);
    for (const run of runs) {
      expect(run.service).toBe('batch-processor');
      // Each shard's run continues the span that published it, and the trace goes back to the request.
      expect(tree.parent(run)).toMatchObject({ kind: 'PRODUCER', name: 'publish bnpl.jobs.requests' });
      expect(tree.ancestors(run)).toContain(server);
    }
    expect(new Set(runs.map((s) => s.instance)).size).toBe(2);
    // A run's writes and source queries are its children.
    const write = spans.find((s) => s.name === 'online-store redis write');
    expect(write && tree.ancestor(write, consumer)).toBeDefined();
    expect(spans.filter(isPostgres).some((query) => tree.ancestor(query, consumer))).toBe(true);
  });

  it("traces a source change from the ingestor's apply through the feature-update event to each serving instance's L1 invalidation", async () => {
    await runSql(stack.pg.url, 'UPDATE customers SET credit_limit_minor = credit_limit_minor + 100 WHERE id = 9');
    const isInvalidation = (s: ReceivedSpan) => s.name === 'online-store l1 invalidate';
    const apply = await waitFor(
      'a traced apply whose feature-update event reached both serving services',
      async () => {
        const tree = new TraceTree(receiver.spans());
        return receiver
          .spans()
          .filter((s) => s.name === 'cdc apply')
          .find((root) => new Set(tree.trace(root.traceId).filter(isInvalidation).map((s) => s.service)).size === 2);
      },
      30_000,
      100,
    );
    const tree = new TraceTree(receiver.spans());
    const spans = tree.trace(apply.traceId);
    expect(apply).toMatchObject({ service: 'cdc-ingestor', attributes: { 'bnpl.cdc.transactions': expect.any(Number) } });
    expect(apply.parentSpanId).toBeUndefined();
    // Recompute from the source and write to Redis, inside the apply.
    expect(spans.filter(isPostgres).some((query) => tree.ancestors(query).includes(apply))).toBe(true);
    const write = spans.find((s) => s.name === 'online-store redis write' && s.service === 'cdc-ingestor');
    expect(write && tree.ancestors(write)).toContain(apply);
    const publish = spans.find((s) => s.kind === 'PRODUCER' && s.name === 'publish bnpl.features.updates');
    expect(publish && tree.ancestors(publish)).toContain(apply);
    for (const service of ['rest-gateway', 'grpc-serving']) {
      const handled = spans.find((s) => s.kind === 'CONSUMER' && s.name === 'process bnpl.features.updates' && s.service === service);
      expect({ service, parent: handled && tree.parent(handled) }).toEqual({ service, parent: publish });
      const invalidation = spans.find((s) => isInvalidation(s) && s.service === service);
      expect({ service, parent: invalidation && tree.parent(invalidation) }).toEqual({ service, parent: handled });
      expect(invalidation?.attributes['bnpl.entities']).toBeGreaterThanOrEqual(1);
    }
  });

  describe('metrics', () => {
    const pages = new Map<string, string>();
    beforeAll(async () => {
      // A failed read on each edge, so that error series exist too.
      expect((await fetch(`${rest.url}/v1/customers/not-a-number/features?features=customer_profile:*`)).status).toBe(400);
      await new Promise<void>((resolve) => client.GetOnlineFeatures({ feature_service: 'no_such_service', entities: [] }, () => resolve()));
      // A decision served with the risk engine's feature service, and its outcome posted once its record is
      // stored: the business metrics (served values, statuses, outcomes, decline reasons) then exist too.
      const served = await fetch(`${rest.url}/v1/customers/8/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=12000&currency=EUR`);
      expect(served.status).toBe(200);
      const decisionId = served.headers.get('x-decision-id') ?? '';
      await waitFor(
        'the outcome of a recorded decision to be accepted',
        async () => {
          const posted = await fetch(`${rest.url}/v1/decisions/${decisionId}/outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'declined', reason_codes: ['HIGH_UTILIZATION'] }) });
          return posted.status === 200 ? true : undefined;
        },
        60_000,
        500,
      );
      const services: Array<[string, StartedService]> = [['rest-gateway', rest], ['grpc-serving', grpc], ['cdc-ingestor', cdc], ...processors.map((p, i): [string, StartedService] => [`batch-processor-${i + 1}`, p])];
      for (const [name, service] of services) pages.set(name, await (await fetch(`${service.url}/metrics`)).text());
    });

    it.each(['rest-gateway', 'grpc-serving', 'cdc-ingestor', 'batch-processor-1', 'batch-processor-2'])('%s: /metrics passes promtool check metrics, without a warning', (name) => {
      const page = pages.get(name) ?? '';
      const promtool = spawnSync('promtool', ['check', 'metrics'], { input: page, encoding: 'utf8' });
      if (promtool.error) throw new Error(`promtool could not run (${promtool.error.message}): apt-get install -y --no-install-recommends prometheus`);
      expect({ status: promtool.status, output: `${promtool.stdout}${promtool.stderr}`.trim() }).toEqual({ status: 0, output: '' });
      // RED metrics and the runtime's on every service.
      expect(page).toMatch(/^bnpl_http_server_request_duration_seconds_bucket\{/m);
      expect(page).toMatch(/^nodejs_eventloop_delay_p99 /m);
      expect(page).toMatch(/^v8js_memory_heap_used\{/m);
    });

    it('exports every metric that a dashboard or an alert rule names', () => {
      const exported = new Set([...pages.values()].flatMap((page) => [...sampleNames(page)]));
      const rules = readRuleFiles(join(DEPLOY, 'prometheus/rules'));
      const named = new Set([...metricNamesIn(rules.expressions), ...metricNamesIn(readDashboardQueries(join(DEPLOY, 'grafana/dashboards')))]);
      expect(named.size).toBeGreaterThan(30);
      expect([...named].filter((name) => !exported.has(name)).sort()).toEqual([]);
    });
  });

  it("logs the SDK's own failure to export as the service's JSON line, with its credentials redacted", async () => {
    // A collector that is not there: nothing listens on the port. The endpoint carries a password, as one
    // behind a proxy may.
    const closed = await freePort();
    const unreachable = await stack.startService('rest-gateway', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel:collector-secret@127.0.0.1:${closed}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      DECISIONS_SERVICE_URL: processors[0].url,
    });
    try {
      const answer = await fetch(`${unreachable.url}/v1/customers/7/features?features=customer_profile:*`);
      expect(answer.status).toBe(200);
      const lines = () => unreachable.output().split('\n').filter((l) => l.trim() !== '');
      const failure = await waitFor(
        'the failed export to be logged',
        async () => lines().map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['context'] === 'OpenTelemetry' && l['level'] === 'error'),
        60_000,
        200,
      );
      expect(failure).toEqual(expect.objectContaining({ service: 'rest-gateway', severity: 'ERROR', message: expect.stringMatching(/^OpenTelemetry SDK failure \(a failed export drops its batch of spans\): .*ECONNREFUSED/) }));
      // The export ran in the context of the request whose span it carried, but its failure is no request's.
      expect(failure).not.toHaveProperty('trace_id');
      // Every line is JSON (the SDK's console logger would print plain text), and the password is in none.
      for (const line of lines()) expect(() => JSON.parse(line)).not.toThrow();
      expect(unreachable.output()).not.toContain('collector-secret');
    } finally {
      await unreachable.stop();
    }
  });

  it('logs JSON lines with level names, ISO times, the service, and request and trace ids on access lines', async () => {
    const caller = callerContext();
    const refused = await fetch(`${rest.url}/v1/customers/7/features?features=no_such_view:*`, { headers: { traceparent: caller.traceparent, 'x-request-id': 'obs-e2e-1' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-request-id')).toBe('obs-e2e-1');
    const access = await waitFor('the access log line of the refused request', async () =>
      rest
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l['request_id'] === 'obs-e2e-1' && l['type'] === 'access'),
    );
    expect(access).toEqual(
      expect.objectContaining({ level: 'warn', service: 'rest-gateway', trace_id: caller.traceId, method: 'GET', route: '/v1/customers/:customerId/features', status: 400, duration_ms: expect.any(Number), message: 'GET /v1/customers/:customerId/features 400' }),
    );
    for (const service of [rest, grpc, cdc, ...processors]) {
      const lines = service.output().split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed).toEqual(expect.objectContaining({ level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: expect.any(String), message: expect.any(String) }));
      }
    }
  });
});
