import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { credentials, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import Redis from 'ioredis';
import { bnplCatalog } from '@bnpl/feature-definitions';
import { decisionRecordsTopic, featureHistoryTopic, featureUpdatesTopic, jobProgressTopic, jobRequestsTopic, keyRevocationsTopic } from '@bnpl/messaging';
import { GooglePubSubBroker } from '@bnpl/messaging-pubsub';
import { SERVING_LOADER_OPTIONS, SERVING_PROTO_FILE, type ServingProtoGrpcType } from '@bnpl/serving-contract';
import { makeTempDir } from '@bnpl/service-launchers';
import {
  freePort,
  getJson,
  runSql,
  serviceEnv,
  spawnService,
  startPubSubEmulator,
  startRedisServer,
  startTestPostgres,
  waitFor,
  waitForHttp,
  waitForJob,
  waitForSlotCaughtUp,
  WORKSPACE_ROOT,
  type RunningPubSubEmulator,
  type RunningRedis,
  type ServiceProcess,
  type TestPostgres,
} from '@bnpl/testing';

const CUSTOMERS = 60;

/** One thing the run produced, where it was seen. */
interface Artefact {
  readonly where: string;
  readonly text: string;
}

interface Finding {
  readonly where: string;
  readonly value: string;
}

/** Every PII value that occurs in an artefact (case-insensitive: e-mail addresses are). */
function findPii(artefacts: readonly Artefact[], values: readonly string[]): Finding[] {
  const lowered = values.map((v) => v.toLowerCase());
  const findings: Finding[] = [];
  for (const artefact of artefacts) {
    const text = artefact.text.toLowerCase();
    lowered.forEach((value, i) => {
      if (text.includes(value)) findings.push({ where: artefact.where, value: values[i] });
    });
  }
  return findings;
}

/** Binary payloads (protobuf, Redis values) are searched as Latin-1 text: every byte is kept, so UTF-8 strings inside them match their UTF-8 bytes read the same way. */
const bytesText = (data: Uint8Array | Buffer) => Buffer.from(data).toString('latin1');
const latin1OfUtf8 = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

/**
 * PII never leaves PostgreSQL (issue 12, item 7): a whole run of the services (batch-processor with the
 * DuckDB offline store, rest-gateway, grpc-serving, cdc-ingestor) over a real PostgreSQL holding customers
 * made by the data generator (realistic e-mails, names, dates of birth), Redis and the Pub/Sub emulator:
 * a full materialization, source changes streamed (the customers' PII changed too, a customer added),
 * feature reads over REST (every read form) and gRPC for every customer, decisions recorded, health and
 * metrics read. Then every log line of every service, every HTTP and gRPC answer, every Redis key and value,
 * every row of every table of the offline store and every Pub/Sub message of every topic is searched for
 * every e-mail, full name and date of birth the source ever held during the run: none may appear.
 */
describe('PII scan of a whole run (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB; the services as processes)', () => {
  const dir = makeTempDir('bnpl-pii-scan-');
  const duckdbPath = join(dir.path, 'offline.duckdb');
  // Replication slots and publications of the shared server: names of this suite's own.
  const slot = `pii_${randomBytes(4).toString('hex')}`;
  let pg: TestPostgres;
  let redis: RunningRedis;
  let pubsub: RunningPubSubEmulator;
  let broker: GooglePubSubBroker;
  const subscriptions: Array<{ close(): Promise<void> }> = [];
  const services = new Map<string, { process: ServiceProcess; url: string; output: string[] }>();
  const artefacts: Artefact[] = [];
  let grpcAddress = '';
  const piiValues = new Set<string>();

  const readPii = async () => {
    const rows = await runSql(pg.url, `SELECT email, full_name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM customers`);
    for (const row of rows) for (const value of [row['email'], row['full_name'], row['dob']]) if (typeof value === 'string' && value.length >= 5) piiValues.add(value);
  };

  const start = async (app: string, env: Record<string, string>, portVariable = 'PORT') => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnService(app, { ...serviceEnv({ pg, redis, pubsub }), LOG_LEVEL: 'debug', [portVariable]: String(port), ...env });
    // Every byte it prints, from the first (spawnService keeps only a tail).
    const output: string[] = [];
    child.child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    services.set(app, { process: child, url, output });
    await waitForHttp(child, `${url}/health/ready`, 200, 120_000);
    return url;
  };

  /** A REST answer, kept for the scan. */
  const http = async (where: string, url: string, init?: RequestInit): Promise<{ status: number; text: string }> => {
    const response = await fetch(url, init);
    const text = await response.text();
    artefacts.push({ where: `HTTP ${init?.method ?? 'GET'} ${where}`, text: `${JSON.stringify([...response.headers])}\n${text}` });
    return { status: response.status, text };
  };

  beforeAll(async () => {
    [pg, redis, pubsub] = await Promise.all([startTestPostgres(), startRedisServer(), startPubSubEmulator()]);
    // Customers as the data generator makes them: realistic e-mails, names and dates of birth.
    const generated = spawnSync(
      process.execPath,
      ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'tools/data-generator/src/main.ts'), '--database-url', pg.url, '--customers', String(CUSTOMERS), '--seed', '20261201'],
      { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    if (generated.status !== 0) throw new Error(`data generator failed: ${generated.stderr}`);
    await readPii();
    // Every topic, each with a subscription of this suite made before anything is published: every message of the run.
    broker = new GooglePubSubBroker({ projectId: pubsub.projectId, emulatorHost: pubsub.host });
    for (const topic of [featureUpdatesTopic, featureHistoryTopic, decisionRecordsTopic, keyRevocationsTopic, jobRequestsTopic, jobProgressTopic]) {
      const subscription = await broker.subscribe(
        { topic: topic.name, subscription: `pii-scan.${topic.name}`, deadLetterTopic: `pii-scan.${topic.name}.dlq`, maxDeliveries: 5, maxInFlight: 100, drainTimeoutMs: 1_000 },
        (delivery) => {
          artefacts.push({ where: `Pub/Sub ${topic.name} message ${delivery.messageId}`, text: `${JSON.stringify(delivery.attributes)}\n${delivery.orderingKey ?? ''}\n${bytesText(delivery.data)}` });
          delivery.ack();
        },
        () => undefined,
      );
      subscriptions.push(subscription);
    }
    // The batch-processor first: its subscriptions must exist before anything is published.
    const processor = await start('batch-processor', { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: duckdbPath, JOB_FILES_ROOT: join(dir.path, 'job-files') });
    await Promise.all([
      start('rest-gateway', { DECISIONS_SERVICE_URL: processor, JOB_FILES_ROOT: join(dir.path, 'job-files') }),
      (async () => {
        const grpcPort = await freePort();
        grpcAddress = `127.0.0.1:${grpcPort}`;
        await start('grpc-serving', { GRPC_PORT: String(grpcPort) }, 'HTTP_PORT');
      })(),
      start('cdc-ingestor', { CDC_SLOT_NAME: slot, CDC_PUBLICATION: slot }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.process.stop()));
    await Promise.all(subscriptions.map((s) => s.close()));
    await broker?.close();
    await runSql(pg.url, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}' AND NOT active`).catch(() => undefined);
    await Promise.all([pg?.stop(), redis?.stop(), pubsub?.stop()]);
    dir.remove();
  });

  it('finds no e-mail, name or date of birth of any customer in any log line, answer, Redis value, offline row or message', async () => {
    const api = services.get('rest-gateway')?.url ?? '';
    // A full materialization: every customer's views in Redis and in the offline store's history.
    const submitted = await http('/v1/jobs', `${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'materialize' }) });
    const jobId = (JSON.parse(submitted.text) as { job: { id: string } }).job.id;
    expect((await waitForJob(api, jobId)).job.state).toBe('succeeded');
    await http(`/v1/jobs/${jobId}`, `${api}/v1/jobs/${jobId}`);
    await http('/v1/jobs', `${api}/v1/jobs`);

    // Source changes through the stream: PII changed (the publication must not carry it), a limit raised, a customer added with an order.
    await runSql(
      pg.url,
      `UPDATE customers SET email = 'renamed.' || email, full_name = full_name || ' Renamed', date_of_birth = date_of_birth - 1 WHERE id <= 5`,
      `UPDATE customers SET credit_limit_minor = credit_limit_minor + 1000, updated_at = now() WHERE id BETWEEN 6 AND 12`,
      `INSERT INTO customers (email, full_name, date_of_birth, country, currency, kyc_level, credit_limit_minor) VALUES ('added.person@pii-scan.example', 'Addedperson Scanfield', '1983-07-19', 'DE', 'EUR', 2, 150000)`,
      `INSERT INTO orders (customer_id, merchant_id, amount_minor, currency, installment_count, status)
         SELECT c.id, (SELECT min(id) FROM merchants), 12000, c.currency, 3, 'active' FROM customers c WHERE c.email = 'added.person@pii-scan.example'`,
      `DELETE FROM payments WHERE id IN (SELECT min(id) FROM payments)`,
    );
    await readPii();
    await waitForSlotCaughtUp(pg.url, slot);

    // Reads of every kind, for every customer.
    const ids = (await runSql(pg.url, `SELECT id::text AS id FROM customers ORDER BY id`)).map((r) => String(r['id']));
    const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => `${v.name}:*`);
    for (const id of ids) {
      const byService = await http(`/v1/customers/${id}/features (service)`, `${api}/v1/customers/${id}/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=12000&currency=EUR`);
      expect(byService.status).toBe(200);
      await http(`/v1/customers/${id}/features (views)`, `${api}/v1/customers/${id}/features?features=${customerViews.map(encodeURIComponent).join(',')}`);
    }
    const json = { 'content-type': 'application/json' };
    const batch = await http('/v1/features/online', `${api}/v1/features/online`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ feature_service: 'credit_decision_v1', entities: ids.map((id) => ({ customer_id: id, merchant_id: '1' })), request_context: { requested_amount: { amount_minor: '12000', currency: 'EUR' } } }),
    });
    expect(batch.status).toBe(200);
    await http('/get-online-features', `${api}/get-online-features`, { method: 'POST', headers: json, body: JSON.stringify({ features: ['customer_profile:country', 'customer_exposure:credit_limit'], entities: { customer_id: ids.map(Number) } }) });
    for (const path of ['/v1/catalog', '/v1/catalog/services/credit_decision_v1', '/v1/schedules']) await http(path, `${api}${path}`);

    // gRPC: every customer through the feature service and through every customer view, and the catalog.
    const definition = loadSync(SERVING_PROTO_FILE, { ...SERVING_LOADER_OPTIONS, includeDirs: [join(WORKSPACE_ROOT, 'proto')] });
    const pkg = loadPackageDefinition(definition) as unknown as ServingProtoGrpcType;
    const client = new pkg.bnpl.featurestore.v1.FeatureServingService(grpcAddress, credentials.createInsecure());
    const unary = <T>(where: string, call: (cb: (error: ServiceError | null, response?: T) => void) => unknown) =>
      new Promise<T>((resolve, reject) =>
        call((error, response) => {
          artefacts.push({ where: `gRPC ${where}`, text: error ? `${error.code} ${error.details} ${JSON.stringify(error.metadata?.getMap() ?? {})}` : JSON.stringify(response) });
          if (error || response === undefined) reject(error);
          else resolve(response);
        }),
      );
    try {
      const entities = ids.map((id) => ({ keys: [{ join_key: 'customer_id', id }, { join_key: 'merchant_id', id: '1' }] }));
      await unary('GetOnlineFeatures (service)', (cb) =>
        client.GetOnlineFeatures({ feature_service: 'credit_decision_v1', entities, request_context: { requested_amount: { money_value: { amount_minor: 12000, currency: 'EUR' } } } }, new Metadata(), { deadline: Date.now() + 30_000 }, cb),
      );
      await unary('GetOnlineFeatures (views)', (cb) =>
        client.GetOnlineFeatures({ features: { refs: customerViews }, entities: ids.map((id) => ({ keys: [{ join_key: 'customer_id', id }] })) }, new Metadata(), { deadline: Date.now() + 30_000 }, cb),
      );
      await unary('GetCatalog', (cb) => client.GetCatalog({}, new Metadata(), { deadline: Date.now() + 30_000 }, cb));
    } finally {
      client.close();
    }

    // Every service's probes and metrics.
    for (const [app, { url }] of services) for (const path of ['/health/live', '/health/ready', '/health/details', '/metrics']) await http(`${app} ${path}`, `${url}${path}`);

    // The stream's history and the decisions reach the offline store: wait until the batch-processor took every message.
    const processor = services.get('batch-processor')?.url ?? '';
    await waitFor('the batch-processor to write every history and decision message', async () => {
      const metrics = String((await getJson(`${processor}/metrics`)).body);
      const acked = (topic: string) =>
        [...metrics.matchAll(/^bnpl_messaging_messages_total\{([^}]*)\} (\d+)/gm)].filter((m) => m[1].includes(`topic="${topic}"`) && m[1].includes('outcome="acked"')).reduce((sum, m) => sum + Number(m[2]), 0);
      const published = (topic: string) => artefacts.filter((a) => a.where.startsWith(`Pub/Sub ${topic} `)).length;
      return published(featureHistoryTopic.name) > 0 && acked(featureHistoryTopic.name) >= published(featureHistoryTopic.name) && acked(decisionRecordsTopic.name) >= published(decisionRecordsTopic.name);
    }, 90_000, 500);

    // Stop the services: their logs are complete, and DuckDB's file is free to read.
    await Promise.all([...services.values()].map((s) => s.process.stop()));
    for (const [app, { output }] of services) {
      output.join('').split('\n').forEach((line, i) => line.trim() !== '' && artefacts.push({ where: `${app} log line ${i + 1}`, text: line }));
    }

    // Redis: every key and every value, whatever its type.
    const client6 = new Redis(redis.url);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client6.scanBuffer(cursor, 'COUNT', 1000);
        cursor = String(next);
        for (const key of keys) {
          const type = await client6.type(key);
          const value =
            type === 'string' ? [await client6.getBuffer(key)]
            : type === 'hash' ? Object.entries(await client6.hgetallBuffer(key)).flatMap(([field, v]) => [Buffer.from(field), v])
            : type === 'set' ? await client6.smembersBuffer(key)
            : type === 'zset' ? await client6.zrangeBuffer(key, 0, -1)
            : type === 'list' ? await client6.lrangeBuffer(key, 0, -1)
            : [Buffer.from(`(type ${type})`)];
          artefacts.push({ where: `Redis ${type} ${bytesText(key)}`, text: [key, ...value.filter((v): v is Buffer => v !== null)].map(bytesText).join('\n') });
        }
      } while (cursor !== '0');
    } finally {
      client6.disconnect();
    }

    // The offline store: every row of every table.
    const duckdb = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
    const connection = await duckdb.connect();
    try {
      const tables = (await (await connection.runAndReadAll(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`)).getRowObjectsJson()) as Array<{ table_schema: string; table_name: string }>;
      for (const { table_schema, table_name } of tables) {
        const rows = await (await connection.runAndReadAll(`SELECT * FROM "${table_schema}"."${table_name}"`)).getRowObjectsJson();
        rows.forEach((row, i) => artefacts.push({ where: `offline store ${table_schema}.${table_name} row ${i + 1}`, text: JSON.stringify(row) }));
      }
    } finally {
      connection.closeSync();
      duckdb.closeSync();
    }

    const count = (prefix: string) => artefacts.filter((a) => a.where.startsWith(prefix)).length;
    const volume = {
      logLines: artefacts.filter((a) => / log line \d+$/.test(a.where)).length,
      http: count('HTTP '),
      grpc: count('gRPC '),
      redis: count('Redis '),
      offlineRows: count('offline store '),
      messages: count('Pub/Sub '),
    };
    // The scan had material of every kind: a suite that collected nothing would find nothing.
    expect(volume).toEqual({
      logLines: expect.any(Number),
      http: expect.any(Number),
      grpc: 3,
      redis: expect.any(Number),
      offlineRows: expect.any(Number),
      messages: expect.any(Number),
    });
    for (const [kind, n] of Object.entries(volume)) expect({ kind, some: n > 0 }).toEqual({ kind, some: true });
    expect(artefacts.some((a) => a.where.startsWith('offline store features.'))).toBe(true);
    expect(artefacts.some((a) => a.where.startsWith(`Pub/Sub ${featureUpdatesTopic.name}`))).toBe(true);
    expect(piiValues.size).toBeGreaterThan(CUSTOMERS * 2);
    expect(piiValues).toContain('added.person@pii-scan.example');

    const values = [...piiValues].flatMap((v) => [v, latin1OfUtf8(v)]);
    // The scan itself works: one planted value in a copy of what the run produced is found, where it was put.
    const planted = [...piiValues][CUSTOMERS];
    expect(findPii([...artefacts, { where: 'planted', text: `...${planted}...` }], values)).toContainEqual({ where: 'planted', value: expect.any(String) });

    const findings = findPii(artefacts, values);
    expect(findings.slice(0, 20)).toEqual([]);
  }, 600_000);
});
